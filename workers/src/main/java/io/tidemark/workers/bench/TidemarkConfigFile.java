package io.tidemark.workers.bench;

import io.tidemark.infra.s3.LocalS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tidemark.yaml for one repository (a local directory or the S3 server), zstd level 1, with one
 * single-node cluster per data set, named after it.
 */
final class TidemarkConfigFile {

  static final String NODE = "pg1";

  private TidemarkConfigFile() {}

  static Path local(Path file, String temporal, Path repository, List<DataSet> sets) throws IOException {
    return write(file, temporal, "  local:\n    path: " + repository + "\n", sets);
  }

  static Path s3(Path file, String temporal, LocalS3 s3, List<DataSet> sets) throws IOException {
    return write(file, temporal, "  s3:\n"
        + "    bucket: " + s3.bucket() + "\n"
        + "    endpoint: " + s3.endpoint() + "\n"
        + "    region: us-east-1\n"
        + "    pathStyle: true\n"
        + "    accessKeyId: " + LocalS3.ACCESS_KEY + "\n"
        + "    secretAccessKey: " + LocalS3.SECRET_KEY + "\n", sets);
  }

  private static Path write(Path file, String temporal, String repository, List<DataSet> sets) throws IOException {
    StringBuilder s = new StringBuilder("# Written by the Tidemark benchmark (bench/run).\n")
        .append("temporal:\n  address: ").append(temporal).append('\n')
        .append("repository:\n").append(repository)
        .append("  compression: zstd\n  compressionLevel: 1\n")
        .append("worker:\n  metrics:\n    listen: 127.0.0.1:0\n")
        .append("clusters:\n");
    for (DataSet set : sets) {
      s.append("  ").append(set.name()).append(":\n    nodes:\n")
          .append("      - name: ").append(NODE).append('\n')
          .append("        host: 127.0.0.1\n")
          .append("        port: ").append(set.pg().port()).append('\n')
          .append("        user: postgres\n")
          .append("        dataDirectory: ").append(set.dataDirectory()).append('\n')
          .append("        binDirectory: ").append(set.pg().binDirectory()).append('\n');
    }
    Files.writeString(file, s.toString());
    return file;
  }
}
