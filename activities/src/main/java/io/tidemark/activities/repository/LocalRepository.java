package io.tidemark.activities.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A repository in a local directory (or any mounted file system). Objects are written to a
 * hidden temporary file, synced, then renamed into place, so a reader never sees half an object;
 * create-if-absent uses link(2), which fails atomically when the name is taken.
 */
public final class LocalRepository implements Repository {

  private final Path root;

  public LocalRepository(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path path(String key) {
    if (key.startsWith("/") || key.contains("//") || key.equals("..") || key.startsWith("../")
        || key.contains("/../") || key.endsWith("/..")) {
      throw new IllegalArgumentException("invalid repository key '" + key + "'");
    }
    return root.resolve(key);
  }

  @Override
  public ObjectWriter create(String key, long sizeHint) throws IOException {
    return new FileWriter(path(key), false);
  }

  @Override
  public ObjectWriter createIfAbsent(String key, long sizeHint) throws IOException {
    return new FileWriter(path(key), true);
  }

  @Override
  public InputStream read(String key) throws IOException {
    try {
      return Files.newInputStream(path(key));
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key);
    }
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path(key), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key);
    }
    channel.position(offset);
    return new BoundedInputStream(Channels.newInputStream(channel), length);
  }

  @Override
  public InputStream readTail(String key, long length) throws IOException {
    long size = size(key).orElseThrow(() -> new NoSuchObjectException(key));
    long start = Math.max(0, size - length);
    return read(key, start, size - start);
  }

  @Override
  public OptionalLong size(String key) throws IOException {
    try {
      return OptionalLong.of(Files.size(path(key)));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public Stream<Listing> list(String prefix, String startAfter) throws IOException {
    Path dir = prefix.isEmpty() ? root : path(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    String base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    return Files.list(dir)
        .filter(p -> !p.getFileName().toString().startsWith("."))
        .map(p -> {
          String name = p.getFileName().toString();
          try {
            return Files.isDirectory(p)
                ? new Listing(base + name + "/", 0, true)
                : new Listing(base + name, Files.size(p), false);
          } catch (NoSuchFileException gone) {
            return null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .filter(l -> l != null && (startAfter == null || l.key().compareTo(startAfter) > 0))
        .sorted(Comparator.comparing(Listing::key));
  }

  @Override
  public void delete(String key) throws IOException {
    Path file = path(key);
    Files.deleteIfExists(file);
    // Folders exist only through their objects, as on S3: an emptied one must not list.
    for (Path dir = file.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        break;
      }
    }
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public void close() {}

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static final class FileWriter extends ObjectWriter {
    private final Path target;
    private final Path temp;
    private final boolean ifAbsent;
    private final FileChannel channel;

    FileWriter(Path target, boolean ifAbsent) throws IOException {
      this.target = target;
      this.ifAbsent = ifAbsent;
      this.temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
      this.channel = openTemp(temp);
    }

    /** A delete may prune the folder between creating it and opening the file: then create it again. */
    private static FileChannel openTemp(Path temp) throws IOException {
      for (int attempt = 1; ; attempt++) {
        Files.createDirectories(temp.getParent());
        try {
          return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException pruned) {
          if (attempt == 3) {
            throw pruned;
          }
        }
      }
    }

    @Override
    protected void append(byte[] b, int off, int len) throws IOException {
      append(ByteBuffer.wrap(b, off, len));
    }

    @Override
    protected void append(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }

    @Override
    protected void doCommit() throws IOException {
      try {
        channel.force(true);
        channel.close();
        if (ifAbsent) {
          try {
            Files.createLink(target, temp);
          } catch (FileAlreadyExistsException e) {
            throw new ObjectExistsException(target.toString());
          }
        } else {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        syncDirectory(target.getParent());
      } finally {
        Files.deleteIfExists(temp);
      }
    }

    @Override
    protected void doAbort() {
      try {
        channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a leftover hidden temporary file is harmless and never listed
      }
    }
  }
}
