package io.tidemark.activities.pages;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 32 lanes as four 8-lane vectors kept in registers. Loaded only when the JVM has the
 * incubating Vector API ({@link Lanes#fastest()}); uses only array loads, which every JDK since 17
 * keeps.
 */
final class VectorLanes implements Lanes {

  private static final VectorSpecies<Integer> EIGHT = IntVector.SPECIES_256;

  /** @throws UnsupportedOperationException where 256-bit vectors are not native (the plain loop is faster) */
  VectorLanes() {
    if (IntVector.SPECIES_PREFERRED.vectorBitSize() < EIGHT.vectorBitSize()) {
      throw new UnsupportedOperationException("no 256-bit vectors on this CPU");
    }
  }

  @Override
  public void fold(int[] words, int[] sums) {
    int[] base = PageChecksum.BASE_OFFSETS;
    IntVector a = IntVector.fromArray(EIGHT, base, 0);
    IntVector b = IntVector.fromArray(EIGHT, base, 8);
    IntVector c = IntVector.fromArray(EIGHT, base, 16);
    IntVector d = IntVector.fromArray(EIGHT, base, 24);
    for (int row = 0; row < PageChecksum.WORDS; row += PageChecksum.N_SUMS) {
      a = mix(a, IntVector.fromArray(EIGHT, words, row));
      b = mix(b, IntVector.fromArray(EIGHT, words, row + 8));
      c = mix(c, IntVector.fromArray(EIGHT, words, row + 16));
      d = mix(d, IntVector.fromArray(EIGHT, words, row + 24));
    }
    a.intoArray(sums, 0);
    b.intoArray(sums, 8);
    c.intoArray(sums, 16);
    d.intoArray(sums, 24);
  }

  private static IntVector mix(IntVector sum, IntVector value) {
    IntVector t = sum.lanewise(VectorOperators.XOR, value);
    return t.mul(PageChecksum.FNV_PRIME).lanewise(VectorOperators.XOR, t.lanewise(VectorOperators.LSHR, 17));
  }
}
