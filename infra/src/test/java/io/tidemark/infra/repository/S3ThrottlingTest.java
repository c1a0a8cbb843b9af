package io.tidemark.infra.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.config.S3Settings;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.S3Repository;
import io.tidemark.infra.s3.LocalS3;
import java.net.URI;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A throttled S3 endpoint slows Tidemark down but loses nothing: writes and reads are retried with backoff. */
class S3ThrottlingTest {

  @TempDir
  static Path dir;
  static LocalS3 s3;
  static ThrottlingFront front;
  static S3Repository repo;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start(dir.resolve("store"), "throttled", 0, dir.resolve("s3.log"));
    front = new ThrottlingFront(URI.create(s3.endpoint()).getPort());
    repo = S3Repository.open(new S3Settings("throttled", front.endpoint(), "us-east-1", "", true,
        LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY, 5));
    repo.checkBucket();
  }

  @AfterAll
  static void stop() throws Exception {
    if (repo != null) {
      repo.close();
    }
    if (front != null) {
      front.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void slowDownOnAPutIsRetriedAndTheObjectIsThereWhole() throws Exception {
    byte[] content = bytes(300_000, 1);
    int before = front.faultsSent();
    front.throttleNext(2, 503);
    repo.put("throttled/put", content);
    assertEquals(before + 2, front.faultsSent(), "two 503 SlowDown answers, then the write went through");
    assertArrayEquals(content, repo.readAllBytes("throttled/put"));
  }

  @Test
  void tooManyRequestsOnAMultipartUploadAndOnARangedReadAreRetried() throws Exception {
    byte[] content = bytes(12 << 20, 2); // three 5 MiB parts
    int before = front.faultsSent();
    try (ObjectWriter w = repo.create("throttled/multipart", content.length)) {
      w.write(content, 0, 6 << 20);
      front.throttleNext(2, 429); // the second part's upload meets them
      w.write(content, 6 << 20, content.length - (6 << 20));
      w.commit();
    }
    assertEquals(before + 2, front.faultsSent());
    front.throttleNext(1, 503);
    try (var in = repo.read("throttled/multipart", 7 << 20, 1000)) {
      byte[] range = in.readAllBytes();
      assertArrayEquals(java.util.Arrays.copyOfRange(content, 7 << 20, (7 << 20) + 1000), range);
    }
    assertEquals(before + 3, front.faultsSent());
    assertTrue(front.forwarded() > 0);
  }
}
