package io.tidemark.activities.files;

/** A file to back up, as seen when the data directory was listed. */
public record ListedFile(String path, long size, long mtime) {}
