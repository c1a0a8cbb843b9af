package io.tidemark.workflows.model;

/**
 * A PostgreSQL write-ahead log location, written as PostgreSQL prints it: {@code 16/B374D848}.
 * Records carry LSNs as text so that JSON stays readable; this class is where they are compared.
 */
public record Lsn(long value) implements Comparable<Lsn> {

  public static final Lsn ZERO = new Lsn(0);

  public static Lsn parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("LSN is missing (expected the form 16/B374D848)");
    }
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException("not an LSN: '" + text + "' (expected the form 16/B374D848)");
    }
    try {
      long high = Long.parseLong(text.substring(0, slash), 16);
      long low = Long.parseLong(text.substring(slash + 1), 16);
      if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL || high < 0 || low < 0) {
        throw new NumberFormatException();
      }
      return new Lsn((high << 32) | low);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an LSN: '" + text + "' (expected the form 16/B374D848)");
    }
  }

  @Override
  public int compareTo(Lsn other) {
    return Long.compareUnsigned(value, other.value);
  }

  public boolean isAfter(Lsn other) {
    return compareTo(other) > 0;
  }

  public boolean isBefore(Lsn other) {
    return compareTo(other) < 0;
  }

  public Lsn minus(long bytes) {
    return new Lsn(value - bytes);
  }

  @Override
  public String toString() {
    return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
  }
}
