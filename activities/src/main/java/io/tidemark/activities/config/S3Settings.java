package io.tidemark.activities.config;

/**
 * An S3 bucket, or any S3-compatible store. Keys come from the file or, better, from
 * TIDEMARK_S3_ACCESS_KEY_ID / TIDEMARK_S3_SECRET_ACCESS_KEY, or from the AWS SDK's own chain
 * (AWS_ACCESS_KEY_ID, profiles, instance roles) when neither is set.
 */
public record S3Settings(
    String bucket,
    String endpoint,
    String region,
    String prefix,
    Boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    Integer partSizeMiB) {

  public S3Settings {
    region = region == null ? "us-east-1" : region;
    prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    pathStyle = pathStyle != null && pathStyle;
    partSizeMiB = partSizeMiB == null ? 16 : partSizeMiB;
  }

  public S3Settings withKeys(String accessKeyId, String secretAccessKey) {
    return new S3Settings(bucket, endpoint, region, prefix, pathStyle, accessKeyId, secretAccessKey, partSizeMiB);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "S3Settings[bucket=" + bucket + ", endpoint=" + endpoint + ", region=" + region + ", prefix=" + prefix
        + ", pathStyle=" + pathStyle + ", accessKeyId=" + (accessKeyId == null ? "(default chain)" : "(set)")
        + ", secretAccessKey=" + (secretAccessKey == null ? "(default chain)" : "(set)") + "]";
  }
}
