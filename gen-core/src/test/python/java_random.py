#!/usr/bin/env python3
"""java.util.Random and gen-core's seeded Fisher-Yates sampler, re-implemented from their specifications.

Used by the reference-value scripts of gen4j's tests (gen-core's PermutationsTest golden values and
gen-eval's KID subset references) to draw exactly the indices the Java code draws, without running Java:

- java.util.Random: the 48-bit linear congruential generator of the JDK documentation
  (seed scrambled with 0x5DEECE66D; next(bits); nextInt(bound) with the power-of-two shortcut and the
  rejection loop);
- io.gen4j.core.data.Permutations: Durstenfeld's Fisher-Yates shuffle run from the last position down,
  j = nextInt(i + 1); sample(n, m) stops after the last m positions are fixed and returns them.

Run: python3 gen-core/src/test/python/java_random.py   (prints the golden values PermutationsTest pins)
"""

MASK = (1 << 48) - 1
MULTIPLIER = 0x5DEECE66D


class JavaRandom:
    """java.util.Random(seed)."""

    def __init__(self, seed):
        self.state = (seed ^ MULTIPLIER) & MASK

    def next(self, bits):
        self.state = (self.state * MULTIPLIER + 0xB) & MASK
        r = self.state >> (48 - bits)
        if r >= 1 << 31:  # (int) cast of the 32-bit case
            r -= 1 << 32
        return r

    def next_int(self, bound):
        if bound <= 0:
            raise ValueError("bound must be positive")
        r = self.next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < (1 << 31):  # no int overflow: accept
                return r
            u = self.next(31)


def sample(n, m, rnd):
    """Permutations.sample(n, m, random): m distinct indices of [0, n)."""
    if not 0 <= m <= n:
        raise ValueError("m must be in [0, n]")
    p = list(range(n))
    i = n - 1
    while i >= max(n - m, 1):
        j = rnd.next_int(i + 1)
        p[i], p[j] = p[j], p[i]
        i -= 1
    return p[n - m:]


def permutation(n, rnd):
    """Permutations.permutation(n, random)."""
    return sample(n, n, rnd)


if __name__ == "__main__":
    print("permutation(10, Random(42)) =", permutation(10, JavaRandom(42)))
    print("permutation(7, Random(-3)) =", permutation(7, JavaRandom(-3)))
    r = JavaRandom(5)
    print("sample(20, 6, Random(5)) then sample(9, 3, same) =", sample(20, 6, r), sample(9, 3, r))
    print("permutation(1000, Random(1))[:8] =", permutation(1000, JavaRandom(1))[:8])
    # nextInt rejection path: a bound just above 2^30 rejects often
    r = JavaRandom(7)
    print("nextInt(2^30 + 1) x3 (Random(7)) =", [r.next_int((1 << 30) + 1) for _ in range(3)])
