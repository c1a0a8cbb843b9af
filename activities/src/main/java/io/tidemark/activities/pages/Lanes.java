package io.tidemark.activities.pages;

import org.slf4j.LoggerFactory;

/**
 * The core of the page checksum: folds a page's 2,048 words, row by row, into 32 running hashes.
 * The lanes are independent, which is what SIMD is for; HotSpot does not vectorize this loop on
 * its own, so where the JVM was started with {@code --add-modules jdk.incubator.vector} the Vector
 * API does it (about 5× faster), and a plain loop does it everywhere else.
 */
interface Lanes {

  /** Leaves in {@code sums} the 32 hashes of {@code words} (the page, checksum field zeroed). */
  void fold(int[] words, int[] sums);

  /** The plain loop. */
  Lanes SCALAR = (words, sums) -> {
    System.arraycopy(PageChecksum.BASE_OFFSETS, 0, sums, 0, PageChecksum.N_SUMS);
    for (int row = 0; row < PageChecksum.WORDS; row += PageChecksum.N_SUMS) {
      for (int j = 0; j < PageChecksum.N_SUMS; j++) {
        sums[j] = PageChecksum.mix(sums[j], words[row + j]);
      }
    }
  };

  /** The Vector API version if this JVM has it and 256-bit vectors, else the plain loop. */
  static Lanes fastest() {
    return Holder.FASTEST;
  }

  /** Chosen once per JVM. */
  final class Holder {
    static final Lanes FASTEST = choose();

    private Holder() {}

    private static Lanes choose() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        LoggerFactory.getLogger(Lanes.class).info("page checksums with the plain loop: start the JVM with "
            + "--add-modules jdk.incubator.vector (as ./tidemark does) for the Vector API");
        return SCALAR;
      }
      try {
        return (Lanes) Class.forName("io.tidemark.activities.pages.VectorLanes").getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
        LoggerFactory.getLogger(Lanes.class).info("page checksums without the Vector API: {}", e.toString());
        return SCALAR;
      }
    }
  }
}
