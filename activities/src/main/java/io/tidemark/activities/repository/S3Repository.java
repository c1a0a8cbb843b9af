package io.tidemark.activities.repository;

import io.tidemark.activities.config.S3Settings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import io.tidemark.activities.runtime.DaemonThreads;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A repository in an S3 bucket (or any S3-compatible store) under an optional key prefix.
 *
 * <p>Objects are written from a part buffer: an object that fits is one PUT; a larger one becomes a
 * multipart upload whose parts all have one size, chosen from the size hint so that no object
 * needs more than S3's 10,000 parts. Throttling (503 SlowDown, 429) and dropped connections are
 * retried with backoff by the SDK's standard strategy, and every committed object is checked to be
 * there, with the length written, before its commit returns.
 */
public final class S3Repository implements Repository {

  private static final int MIB = 1024 * 1024;
  /** Below S3's 10,000-part limit, with room for objects that come out larger than hinted. */
  private static final long TARGET_MAX_PARTS = 9000;
  private static final int MAX_ATTEMPTS = 10;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final int partSize;

  /** Part uploads run here, one per writer at a time: as many threads as writers with a part in flight. */
  private final ExecutorService partUploads = Executors.newCachedThreadPool(DaemonThreads.named("s3-part-upload"));

  S3Repository(S3Client s3, String bucket, String prefix, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.partSize = partSize;
  }

  public static S3Repository open(S3Settings settings) {
    AwsCredentialsProvider credentials = settings.accessKeyId() != null && settings.secretAccessKey() != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()))
        : DefaultCredentialsProvider.builder().build();
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle())
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(128))
        .overrideConfiguration(c -> c.retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build()));
    if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    return new S3Repository(builder.build(), settings.bucket(), settings.prefix(), settings.partSizeMiB() * MIB);
  }

  /** Fails with a message naming the bucket and endpoint if the bucket cannot be reached. */
  public void checkBucket() throws IOException {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      throw new IOException("S3 bucket '" + bucket + "' does not exist: create it, or fix repository.s3.bucket");
    } catch (S3Exception e) {
      throw new IOException("cannot use S3 bucket '" + bucket + "': " + e.awsErrorDetails().errorMessage()
          + " (HTTP " + e.statusCode() + "); check the credentials and repository.s3 settings");
    }
  }

  private String fullKey(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  private String relativeKey(String fullKey) {
    return prefix.isEmpty() ? fullKey : fullKey.substring(prefix.length() + 1);
  }

  int partSizeFor(long sizeHint) {
    if (sizeHint <= 0) {
      return partSize;
    }
    long needed = (sizeHint + TARGET_MAX_PARTS - 1) / TARGET_MAX_PARTS;
    long rounded = (needed + MIB - 1) / MIB * MIB;
    return (int) Math.min(Math.max(partSize, rounded), 5L * 1024 * MIB);
  }

  @Override
  public ObjectWriter create(String key, long sizeHint) {
    return new PartWriter(fullKey(key), partSizeFor(sizeHint), sizeHint, false);
  }

  @Override
  public ObjectWriter createIfAbsent(String key, long sizeHint) {
    return new PartWriter(fullKey(key), partSizeFor(sizeHint), sizeHint, true);
  }

  @Override
  public InputStream read(String key) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(fullKey(key)));
    } catch (NoSuchKeyException e) {
      throw new NoSuchObjectException(key);
    }
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    if (length <= 0) {
      return InputStream.nullInputStream();
    }
    return ranged(key, "bytes=" + offset + "-" + (offset + length - 1));
  }

  @Override
  public InputStream readTail(String key, long length) throws IOException {
    return ranged(key, "bytes=-" + length);
  }

  private InputStream ranged(String key, String range) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(fullKey(key)).range(range));
    } catch (NoSuchKeyException e) {
      throw new NoSuchObjectException(key);
    }
  }

  @Override
  public OptionalLong size(String key) {
    try {
      return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(fullKey(key))).contentLength());
    } catch (NoSuchKeyException e) {
      return OptionalLong.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  @Override
  public Stream<Listing> list(String listPrefix, String startAfter) {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
        .bucket(bucket)
        .prefix(fullKey(listPrefix))
        .delimiter("/");
    if (startAfter != null) {
      request.startAfter(fullKey(startAfter));
    }
    // Keys and folders come in separate lists per page; each page covers one contiguous key range,
    // so sorting within a page keeps the whole stream in key order.
    return s3.listObjectsV2Paginator(request.build()).stream().flatMap(page -> {
      List<Listing> entries = new ArrayList<>(page.contents().size() + page.commonPrefixes().size());
      page.contents().forEach(o -> entries.add(new Listing(relativeKey(o.key()), o.size(), false)));
      page.commonPrefixes().forEach(p -> entries.add(new Listing(relativeKey(p.prefix()), 0, true)));
      entries.sort(Comparator.comparing(Listing::key));
      return entries.stream();
    });
  }

  @Override
  public void delete(String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(fullKey(key)));
  }

  /** One DeleteObjects request for up to a thousand keys: retention of a long WAL archive is thousands of objects. */
  @Override
  public void delete(java.util.List<String> keys) throws IOException {
    if (keys.isEmpty()) {
      return;
    }
    if (keys.size() > DELETE_BATCH) {
      throw new IllegalArgumentException(keys.size() + " keys in one delete; at most " + DELETE_BATCH);
    }
    java.util.List<ObjectIdentifier> ids = keys.stream().map(k -> ObjectIdentifier.builder().key(fullKey(k)).build()).toList();
    DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      S3Error first = response.errors().get(0);
      throw new IOException(response.errors().size() + " of " + keys.size() + " objects in " + describe()
          + " could not be deleted; the first: " + first.key() + ": " + first.code() + " " + first.message());
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  @Override
  public void close() {
    partUploads.shutdownNow();
    s3.close();
  }

  private static boolean isPreconditionFailed(S3Exception e) {
    return e.statusCode() == 412;
  }

  /**
   * Buffers one part at a time; switches to a multipart upload when the first part fills. A full
   * part is uploaded by {@link #partUploads} while the next one fills, so the thread that
   * compresses never waits on the network for more than the part before: at most two part
   * buffers per writer, one filling and one in flight.
   */
  private final class PartWriter extends ObjectWriter {
    private final String key;
    private final int partSize;
    private final boolean ifAbsent;
    private byte[] buffer;
    private byte[] spare;
    private int filled;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private Future<CompletedPart> inFlight;

    PartWriter(String key, int partSize, long sizeHint, boolean ifAbsent) {
      this.key = key;
      this.partSize = partSize;
      this.ifAbsent = ifAbsent;
      // Small objects are the common case: start small and grow to one part at most.
      this.buffer = new byte[(int) Math.min(partSize, Math.max(sizeHint > 0 ? sizeHint : 0, 64 * 1024))];
    }

    @Override
    protected void append(byte[] b, int off, int len) throws IOException {
      append(ByteBuffer.wrap(b, off, len));
    }

    /** Into the part buffer, from heap or direct buffers alike: no intermediate array. */
    @Override
    protected void append(ByteBuffer src) throws IOException {
      while (src.hasRemaining()) {
        if (filled == buffer.length) {
          if (buffer.length < partSize) {
            grow();
          } else {
            uploadPart();
          }
        }
        int n = Math.min(src.remaining(), buffer.length - filled);
        src.get(buffer, filled, n);
        filled += n;
      }
    }

    private void grow() {
      byte[] bigger = new byte[(int) Math.min(partSize, (long) buffer.length * 2)];
      System.arraycopy(buffer, 0, bigger, 0, filled);
      buffer = bigger;
    }

    /** Hands the full buffer to an upload thread once the part before it is stored, and fills the other. */
    private void uploadPart() throws IOException {
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      }
      awaitInFlight();
      int number = parts.size() + 1;
      RequestBody body = body();
      String id = uploadId;
      inFlight = partUploads.submit(() -> CompletedPart.builder().partNumber(number)
          .eTag(s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number), body).eTag())
          .build());
      byte[] uploading = buffer;
      buffer = spare != null ? spare : new byte[partSize];
      spare = uploading;
      filled = 0;
    }

    private void awaitInFlight() throws IOException {
      if (inFlight == null) {
        return;
      }
      try {
        parts.add(inFlight.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while uploading a part of " + key);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IOException("uploading a part of " + key + ": " + e.getCause(), e.getCause());
      } finally {
        inFlight = null;
      }
    }

    private RequestBody body() {
      byte[] bytes = buffer;
      int length = filled;
      return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
          "application/octet-stream");
    }

    @Override
    protected void doCommit() throws IOException {
      try {
        if (uploadId == null) {
          s3.putObject(b -> {
            b.bucket(bucket).key(key);
            if (ifAbsent) {
              b.ifNoneMatch("*");
            }
          }, body());
        } else {
          if (filled > 0) {
            uploadPart();
          }
          awaitInFlight();
          if (ifAbsent && size(relativeKey(key)).isPresent()) {
            // Asked before completing, not only by the condition: S3Mock, refusing a completion with
            // 412, dropped the object already stored (the contract test aRefusedLargeCreateIfAbsent...).
            throw new ObjectExistsException(relativeKey(key));
          }
          s3.completeMultipartUpload(b -> {
            b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
            if (ifAbsent) {
              b.ifNoneMatch("*");
            }
          });
        }
      } catch (S3Exception e) {
        doAbort();
        if (ifAbsent && isPreconditionFailed(e)) {
          throw new ObjectExistsException(relativeKey(key));
        }
        throw e;
      } finally {
        buffer = null;
        spare = null;
      }
      verifyStored(position());
    }

    /**
     * Trusts no acknowledgement: a store (or a proxy in front of it) that answered 200 but kept
     * nothing, or kept a different length, fails the write here rather than the restore later.
     */
    private void verifyStored(long written) throws IOException {
      OptionalLong stored = size(relativeKey(key));
      if (stored.isEmpty() || stored.getAsLong() != written) {
        throw new IOException("S3 acknowledged " + written + " bytes for " + key + " in bucket " + bucket
            + " but " + (stored.isEmpty() ? "holds no such object" : "holds " + stored.getAsLong() + " bytes")
            + "; the write is retried. If this repeats, check the S3 endpoint and anything between it and Tidemark");
      }
    }

    @Override
    protected void doAbort() {
      buffer = null;
      spare = null;
      try {
        awaitInFlight();
      } catch (IOException | RuntimeException ignored) {
        // the upload is aborted below either way
      }
      if (uploadId != null) {
        String id = uploadId;
        uploadId = null;
        try {
          s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
        } catch (RuntimeException ignored) {
          // an unfinished upload is invisible; a bucket lifecycle rule removes its parts
        }
      }
    }
  }
}
