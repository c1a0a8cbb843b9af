package io.tidemark.activities.transfer;

/** How a frame is encoded. */
public enum Codec {
  ZSTD("zstd"),
  NONE("none");

  private final String label;

  Codec(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Codec of(String label) {
    for (Codec c : values()) {
      if (c.label.equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown codec '" + label + "'");
  }
}
