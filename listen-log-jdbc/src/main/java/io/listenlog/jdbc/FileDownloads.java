package io.listenlog.jdbc;

/**
 * The downloads of one file over a range, as {@link ListenStats#downloads} counts them: listens whose {@code extra}
 * names the file under {@value #EXTRA_KEY} (what {@code ListenLogFilter}'s download prefix logs, one per listener,
 * file and UTC day once a minute of audio was served; docs/metrics.md).
 *
 * @param sourceId     the file's source
 * @param file         the file, as the download prefix's path names it
 * @param downloads    downloads by people
 * @param botDownloads downloads by clients classified as bots, left out of {@code downloads}
 */
public record FileDownloads(long sourceId, String file, long downloads, long botDownloads) {

    /** The {@code extra} key that names a download's file. */
    public static final String EXTRA_KEY = "download";
}
