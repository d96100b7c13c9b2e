package io.autobus.verify;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Which PostgreSQL verifies a snapshot of a server of major M. The rule:
 * <ol>
 *   <li>{@code VERIFY_POSTGRES_URL_<M>} when set;</li>
 *   <li>otherwise the server of major M, else the nearest newer, among {@code VERIFY_POSTGRES_URL}
 *       (its major is asked), the other {@code VERIFY_POSTGRES_URL_<N>} and the embedded servers
 *       (14–18); on equal majors a configured URL wins over an embedded server;</li>
 *   <li>none at M or newer (a source newer than 18 and no URL for it): unverifiable, saying which
 *       variable to set.</li>
 * </ol>
 * So the catch-all {@code VERIFY_POSTGRES_URL} verifies the snapshots of its own major (and of
 * majors no embedded server has), and every other supported major is verified on an embedded
 * server of that very major: no snapshot of 14–18 is verified on another version, nor is any
 * "unverifiable" because of the verifier's version.
 */
final class VerifierChoice {
    private VerifierChoice() {
    }

    enum Kind { PER_MAJOR_URL, CATCH_ALL_URL, EMBEDDED }

    /** The server to use: which kind, of which major. */
    record Choice(Kind kind, int major) {
    }

    /**
     * @param sourceMajor    the snapshot's server major
     * @param perMajorUrls   the N of every {@code VERIFY_POSTGRES_URL_<N>} set
     * @param catchAllMajor  the major of the server at {@code VERIFY_POSTGRES_URL}, empty when unset
     * @param embeddedMajors the majors of the embedded servers this build ships
     */
    static Optional<Choice> choose(int sourceMajor, Collection<Integer> perMajorUrls, OptionalInt catchAllMajor,
                                   Collection<Integer> embeddedMajors) {
        if (perMajorUrls.contains(sourceMajor)) {
            return Optional.of(new Choice(Kind.PER_MAJOR_URL, sourceMajor));
        }
        var candidates = Stream.concat(Stream.concat(
                        perMajorUrls.stream().map(major -> new Choice(Kind.PER_MAJOR_URL, major)),
                        catchAllMajor.isPresent() ? Stream.of(new Choice(Kind.CATCH_ALL_URL, catchAllMajor.getAsInt())) : Stream.empty()),
                embeddedMajors.stream().map(major -> new Choice(Kind.EMBEDDED, major)));
        return candidates.filter(choice -> choice.major() >= sourceMajor)
                .min(Comparator.comparingInt(Choice::major).thenComparing(Choice::kind));
    }
}
