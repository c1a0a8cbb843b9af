package io.tidemark.activities.repository;

/** One entry of a listing: an object with its size, or a folder (its key ends with '/'). */
public record Listing(String key, long size, boolean folder) {

  /** The last part of the key, without the trailing '/' of a folder. */
  public String name() {
    String k = folder ? key.substring(0, key.length() - 1) : key;
    return k.substring(k.lastIndexOf('/') + 1);
  }
}
