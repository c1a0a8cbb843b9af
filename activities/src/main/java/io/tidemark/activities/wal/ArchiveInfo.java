package io.tidemark.activities.wal;

/** archive.json: the database system a node's WAL archive belongs to. */
public record ArchiveInfo(int format, String systemIdentifier, String created) {}
