'use strict';
(function () {
  const base = document.body.dataset.base;
  const today = document.body.dataset.today;
  const charts = {};
  const state = { days: 30, from: null, to: today, source: 'all' };
  const number = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
  const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

  function addDays(day, n) {
    const d = new Date(day + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function query() {
    const from = state.days === 'custom' ? state.from : addDays(state.to, 1 - state.days);
    return 'from=' + from + '&to=' + state.to + '&source=' + encodeURIComponent(state.source);
  }

  async function get(path) {
    const response = await fetch(base + path, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(path + ': ' + response.status);
    }
    return response.json();
  }

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function chart(id, type, labels, datasets, options) {
    if (charts[id]) {
      charts[id].destroy();
    }
    charts[id] = new Chart(document.getElementById(id), {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: 'index', intersect: false }, plugins: { legend: { position: 'bottom' } } }, options || {})
    });
  }

  /**
   * The change of the figure {@code id} from the period before, as "+12 %" in green or "-4 %" in red; empty when there
   * is nothing to compare. {@code before} is /api/previous, whose fields are named as the cards.
   */
  function change(id, current, before) {
    const element = document.getElementById(id + 'Change');
    const previous = before[id];
    element.classList.remove('up', 'down');
    element.title = before.from ? 'compared with ' + before.from + ' to ' + before.to : '';
    if (!before.from || previous === undefined) {
      element.textContent = '';
    } else if (previous === 0) {
      element.textContent = current === 0 ? 'no change' : 'new';
      element.classList.toggle('up', current > 0);
    } else {
      const percent = 100 * (current - previous) / previous;
      element.textContent = (percent > 0 ? '+' : '') + number.format(percent) + ' % vs before';
      element.classList.toggle('up', percent > 0);
      element.classList.toggle('down', percent < 0);
    }
  }

  function rows(tableId, values) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren();
    if (values.length === 0) {
      const tr = body.insertRow();
      tr.insertCell().textContent = 'none yet';
    }
    values.forEach(function (v) {
      const tr = body.insertRow();
      tr.insertCell().textContent = v.value;
      tr.insertCell().textContent = integer.format(v.plays);
    });
  }

  async function load() {
    const q = query();
    document.getElementById('csv').href = base + '/daily.csv?' + q;
    document.getElementById('downloadsCsv').href = base + '/downloads.csv?' + q;
    const [audience, top, now, before, countries, downloads] = await Promise.all([get('/api/audience?' + q),
      get('/api/top?' + q), get('/api/now?source=' + encodeURIComponent(state.source)), get('/api/previous?' + q),
      get('/api/countries?' + q), get('/api/downloads?' + q)]);
    const days = audience.days;
    const sum = function (f) { return days.reduce(function (a, d) { return a + d[f]; }, 0); };
    const plays = sum('plays');
    const hours = sum('listeningHours');
    text('listenersNow', integer.format(now.listenersNow));
    text('plays', integer.format(plays));
    text('sessions', integer.format(sum('sessions')));
    text('uniqueListeners', integer.format(audience.uniqueListeners));
    text('listeningHours', number.format(hours));
    text('averageActiveSessions', number.format(hours / (24 * days.length)));
    text('peak', integer.format(days.reduce(function (a, d) { return Math.max(a, d.peakConcurrentSessions); }, 0)));
    text('botShare', plays === 0 ? '–' : number.format(100 * sum('botPlays') / plays) + ' %');
    change('plays', plays, before);
    change('sessions', sum('sessions'), before);
    change('uniqueListeners', audience.uniqueListeners, before);
    change('listeningHours', hours, before);
    const labels = days.map(function (d) { return d.day.slice(5); });
    chart('playsChart', 'bar', labels, [
      { label: 'Plays', data: days.map(function (d) { return d.plays; }), backgroundColor: '#bfd3fb' },
      { label: 'Sessions', data: days.map(function (d) { return d.sessions; }), backgroundColor: '#2563eb' },
      { label: 'Bot plays', data: days.map(function (d) { return d.botPlays; }), backgroundColor: '#f59e0b' }]);
    chart('listenersChart', 'line', labels, [
      { label: 'Unique listeners', data: days.map(function (d) { return d.uniqueListeners; }), borderColor: '#2563eb',
        backgroundColor: '#2563eb' },
      { label: 'Average quarter-hour', data: days.map(function (d) { return d.averageQuarterHour; }),
        borderColor: '#16a34a', backgroundColor: '#16a34a', yAxisID: 'y1' }],
    { scales: { y: { position: 'left', beginAtZero: true },
      y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } } });
    chart('hoursChart', 'bar', labels, [
      { label: 'Listening hours', data: days.map(function (d) { return d.listeningHours; }), backgroundColor: '#2563eb',
        yAxisID: 'y' },
      { label: 'Avg. active sessions', data: days.map(function (d) { return d.averageActiveSessions; }), type: 'line',
        borderColor: '#f59e0b', backgroundColor: '#f59e0b', yAxisID: 'y1' }],
    { scales: { y: { position: 'left' }, y1: { position: 'right', grid: { drawOnChartArea: false } } } });
    const hourly = await get('/api/hourly?day=' + state.to + '&source=' + encodeURIComponent(state.source));
    text('hourlyDay', hourly.day);
    // Today's hours after now have not happened: they are left empty, not drawn as zeros.
    const soFar = function (h, value) { return h.hour < hourly.hoursSoFar ? value : null; };
    chart('hourlyChart', 'bar', hourly.hours.map(function (h) { return h.hour + 'h'; }), [
      { label: 'Sessions started', data: hourly.hours.map(function (h) { return soFar(h, h.sessions); }),
        backgroundColor: '#bfd3fb' },
      { label: 'Avg. active sessions',
        data: hourly.hours.map(function (h) { return soFar(h, h.averageActiveSessions); }),
        type: 'line', borderColor: '#2563eb', backgroundColor: '#2563eb' }]);
    rows('apps', top.apps);
    rows('platforms', top.platforms);
    rows('referrerHosts', top.referrerHosts);
    const body = document.querySelector('#days tbody');
    body.replaceChildren();
    days.slice().reverse().forEach(function (d) {
      const tr = body.insertRow();
      [d.day, integer.format(d.plays), integer.format(d.sessions), integer.format(d.botPlays),
        integer.format(d.uniqueListeners), number.format(d.listeningHours), number.format(d.averageActiveSessions),
        number.format(d.timeSpentListeningMinutes), integer.format(d.peakConcurrentSessions),
        number.format(d.averageQuarterHour)].forEach(function (v) { tr.insertCell().textContent = v; });
    });
    showCountries(countries);
    showDownloads(downloads);
    document.body.dataset.loaded = 'true';
  }

  const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
  function countryName(code) {
    if (code === 'ZZ') { return 'Not located'; }
    try { return (regionNames ? regionNames.of(code) : code) + ' (' + code + ')'; } catch (e) { return code; }
  }

  function showCountries(body) {
    const top = body.countries.slice(0, 10);
    chart('countriesChart', 'bar', top.map(function (c) { return countryName(c.country); }), [
      { label: 'Sessions', data: top.map(function (c) { return c.sessions; }), backgroundColor: '#2563eb' }],
      { indexAxis: 'y' });
    const tbody = document.querySelector('#countries tbody');
    tbody.replaceChildren();
    body.countries.forEach(function (c) {
      const tr = tbody.insertRow();
      [countryName(c.country), integer.format(c.sessions), integer.format(c.uniqueListeners),
        number.format(c.listeningHours), number.format(c.averageActiveSessions)]
        .forEach(function (v) { tr.insertCell().textContent = v; });
    });
    const credit = document.getElementById('countriesCredit');
    credit.replaceChildren();
    const link = /(https:\/\/[^\s)]+)/.exec(body.credit);
    if (link) {
      credit.append(body.credit.slice(0, link.index));
      const a = document.createElement('a');
      a.href = link[1];
      a.textContent = link[1];
      credit.append(a, body.credit.slice(link.index + link[1].length));
    } else {
      credit.textContent = body.credit;
    }
  }

  const sourceNames = {};
  function showDownloads(body) {
    const tbody = document.querySelector('#downloads tbody');
    tbody.replaceChildren();
    if (body.downloads.length === 0) {
      const cell = tbody.insertRow().insertCell();
      cell.colSpan = 4;
      cell.textContent = 'No downloads in this period';
    }
    body.downloads.forEach(function (d) {
      const tr = tbody.insertRow();
      [d.file, sourceNames[d.sourceId] || String(d.sourceId), integer.format(d.downloads),
        integer.format(d.botDownloads)].forEach(function (v) { tr.insertCell().textContent = v; });
    });
  }

  function reload() {
    document.body.dataset.loaded = 'false';
    load().catch(function (e) { console.error('listen-log dashboard: ' + e.message); });
  }

  document.querySelectorAll('.ranges button').forEach(function (button) {
    button.addEventListener('click', function () {
      document.querySelectorAll('.ranges button').forEach(function (b) { b.classList.remove('active'); });
      button.classList.add('active');
      const custom = button.dataset.days === 'custom';
      document.querySelector('.custom').hidden = !custom;
      if (custom) {
        state.days = 'custom';
        state.from = document.getElementById('from').value || addDays(state.to, -29);
        document.getElementById('from').value = state.from;
        document.getElementById('to').value = state.to;
      } else {
        state.days = Number(button.dataset.days);
        state.to = today;
      }
      reload();
    });
  });
  ['from', 'to'].forEach(function (id) {
    document.getElementById(id).addEventListener('change', function () {
      state.from = document.getElementById('from').value;
      state.to = document.getElementById('to').value || today;
      if (state.from && state.from <= state.to) {
        reload();
      }
    });
  });
  document.getElementById('source').addEventListener('change', function (e) {
    state.source = e.target.value;
    reload();
  });
  get('/api/sources').then(function (sources) {
    const select = document.getElementById('source');
    sources.forEach(function (s) {
      const option = document.createElement('option');
      option.value = String(s.id);
      option.textContent = s.name;
      select.appendChild(option);
      sourceNames[s.id] = s.name;
    });
  }).catch(function (e) { console.error('listen-log dashboard: ' + e.message); });
  reload();
}());
