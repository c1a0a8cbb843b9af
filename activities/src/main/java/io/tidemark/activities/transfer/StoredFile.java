package io.tidemark.activities.transfer;

import java.util.List;

/**
 * A file as stored: where its bytes are and what they must be.
 *
 * @param path relative to the data directory, '/'-separated
 * @param size bytes stored (the size seen when listed, or less if the file shrank meanwhile)
 * @param mtime modification time when listed, epoch milliseconds
 * @param checksum CRC-32C of the file's bytes, 8 lower-case hex digits
 * @param pack key of the pack object, relative to the node's folder in the backup
 * @param offset where the file's frame starts in the pack
 * @param length length of the frame
 * @param codec {@code zstd} or {@code none}
 * @param badPages blocks whose page checksum failed when the file was copied (null: none, or not checked)
 * @param sha256 SHA-256 of the file's bytes, hex, when the backup asked for it
 * @param pieces for a large file, the frames it is stored in (null: one frame); {@code length}
 *     covers them all
 */
public record StoredFile(
    String path, long size, long mtime, String checksum, String pack, long offset, long length, String codec,
    List<Long> badPages, String sha256, Pieces pieces) {

  public StoredFile(String path, long size, long mtime, String checksum, String pack, long offset, long length,
      String codec) {
    this(path, size, mtime, checksum, pack, offset, length, codec, null, null, null);
  }

  public StoredFile(String path, long size, long mtime, String checksum, String pack, long offset, long length,
      String codec, List<Long> badPages, String sha256) {
    this(path, size, mtime, checksum, pack, offset, length, codec, badPages, sha256, null);
  }
}
