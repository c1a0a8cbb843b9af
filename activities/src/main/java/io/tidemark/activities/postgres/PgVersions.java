package io.tidemark.activities.postgres;

/** server_version_num arithmetic: 150019 is 15.19, 90624 is 9.6.24. */
public final class PgVersions {

  public static final int OLDEST_SUPPORTED_MAJOR = 13;

  private PgVersions() {}

  public static int major(int versionNum) {
    return versionNum >= 100000 ? versionNum / 10000 : versionNum / 100;
  }
}
