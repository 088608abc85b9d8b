package io.listenlog.jdbc;

/**
 * How many listens one radio source had (see {@link ListenStats#topSources}).
 *
 * @param sourceId the {@code radio_source} id
 * @param plays    its listens
 */
public record SourceListens(long sourceId, long plays) {
}
