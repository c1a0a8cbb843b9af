package io.tidemark.activities.wal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushLockTest {

  static final String SEGMENT = "000000010000000000000007";
  static final String OTHER = "000000010000000000000008";

  @TempDir
  Path pgWal;

  /** Holds the lock of a name in another process until its standard input closes. */
  public static void main(String[] args) throws Exception {
    try (PushLock.Held held = PushLock.of(Path.of(args[0])).lock(args[1])) {
      System.out.println("held");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the test to let go
      }
    }
  }

  @Test
  void anotherProcessHoldingANameKeepsItsPushWaitingButNotOthers() throws Exception {
    PushLock lock = PushLock.of(pgWal);
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), PushLockTest.class.getName(), pgWal.toString(), SEGMENT)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("held", out.readLine());

      try (PushLock.Held other = lock.lock(OTHER)) {
        assertNotNull(other, "another name is free while the holder has " + SEGMENT);
      }
      CompletableFuture<PushLock.Held> mine = lockOnAnotherThread(lock, SEGMENT);
      assertThrowsTimeout(mine);
      holder.getOutputStream().close(); // the holder lets go
      try (PushLock.Held got = mine.get(30, TimeUnit.SECONDS)) {
        assertNotNull(got);
      }
    } finally {
      holder.destroyForcibly();
      holder.waitFor();
    }
  }

  @Test
  void threadsOfOneProcessWaitForEachOther() throws Exception {
    PushLock lock = PushLock.of(pgWal);
    PushLock.Held first = lock.lock(SEGMENT);
    CompletableFuture<PushLock.Held> second = lockOnAnotherThread(lock, SEGMENT);
    assertThrowsTimeout(second);
    first.close();
    second.get(10, TimeUnit.SECONDS).close();
  }

  @Test
  void theAgentTakesNoLockWhereNoWalPushMadeTheFile() throws Exception {
    PushLock lock = PushLock.of(pgWal);
    assertNull(lock.lockIfShared(SEGMENT), "no lock file yet");
    assertFalse(Files.exists(pgWal.resolve("tidemark-spool").resolve(PushLock.FILE)), "the agent made no lock file");
    lock.lock(OTHER).close(); // wal-push makes it
    try (PushLock.Held held = lock.lockIfShared(SEGMENT)) {
      assertNotNull(held);
    }
    assertTrue(Files.exists(pgWal.resolve("tidemark-spool").resolve(PushLock.FILE)));
  }

  private static CompletableFuture<PushLock.Held> lockOnAnotherThread(PushLock lock, String name) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return lock.lock(name);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  private static void assertThrowsTimeout(CompletableFuture<PushLock.Held> waiting) throws Exception {
    try {
      waiting.get(500, TimeUnit.MILLISECONDS).close();
      throw new AssertionError("the lock was taken while another held it");
    } catch (TimeoutException expected) {
      // still waiting, as it should
    }
  }
}
