/*
 * listen-log's player script: follows every <audio> or <video> element that carries data-listen-token and
 * data-listen-progress, and reports the seconds actually played (not paused, not stalled, not muted or at volume
 * zero) with navigator.sendBeacon: every 30 s while playing, on pause, and when the page is hidden or left.
 * It sends nothing but the token and the seconds; it sets no cookie and stores nothing.
 */
(function () {
  'use strict';
  var EVERY_MS = 30000;
  var MAX_TICK_MS = 1500;  // a longer gap between ticks is a stall, not listening

  function follow(media) {
    var token = media.getAttribute('data-listen-token');
    var url = media.getAttribute('data-listen-progress');
    if (!token || !url || media.__listenLog) {
      return;
    }
    media.__listenLog = true;
    var playedMs = 0;
    var lastTick = null;
    var reported = -1;
    var timer = null;

    function audible() {
      return !media.paused && !media.ended && !media.muted && media.volume > 0 && media.readyState >= 3;
    }

    function tick() {
      var now = performance.now();
      if (lastTick !== null && audible()) {
        playedMs += Math.min(now - lastTick, MAX_TICK_MS);
      }
      lastTick = audible() ? now : null;
    }

    function report() {
      tick();
      var seconds = Math.floor(playedMs / 1000);
      if (seconds <= 0 || seconds === reported) {
        return;
      }
      var body = new URLSearchParams({ token: token, seconds: String(seconds) });
      if (navigator.sendBeacon(url, body)) {
        reported = seconds;
      }
    }

    media.addEventListener('playing', function () {
      lastTick = performance.now();
      if (timer === null) {
        timer = setInterval(report, EVERY_MS);
      }
    });
    media.addEventListener('timeupdate', tick);
    ['pause', 'waiting', 'stalled', 'ended', 'volumechange'].forEach(function (type) {
      media.addEventListener(type, function () {
        tick();
        if (type !== 'volumechange') {
          report();
        }
      });
    });
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') {
        report();
      }
    });
    window.addEventListener('pagehide', report);
  }

  function start() {
    document.querySelectorAll('audio[data-listen-token], video[data-listen-token]').forEach(follow);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
