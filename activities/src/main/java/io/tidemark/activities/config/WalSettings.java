package io.tidemark.activities.config;

/**
 * How wal-fetch and wal-push work ahead of PostgreSQL.
 *
 * @param spoolPath where segments fetched ahead and marks of segments pushed ahead wait; by default
 *     {@code pg_wal/tidemark-spool} in the data directory (left out of backups)
 * @param prefetch segments wal-fetch fetches ahead of the one PostgreSQL asks for (0: off)
 * @param pushAhead segments waiting in archive_status that wal-push archives besides the one asked for (0: off)
 * @param threads transfers one wal-fetch or wal-push call runs at once
 */
public record WalSettings(String spoolPath, Integer prefetch, Integer pushAhead, Integer threads) {

  public static final WalSettings DEFAULT = new WalSettings(null, null, null, null);

  public WalSettings {
    prefetch = prefetch == null ? 8 : prefetch;
    pushAhead = pushAhead == null ? 8 : pushAhead;
    threads = threads == null ? 4 : threads;
  }
}
