package io.autobus.verify;

/**
 * What verification found out about a snapshot.
 *
 * @param outcome verified, failed (the detail says which tables and counts differ, or what broke),
 *                or unverifiable (the detail says why: not the snapshot's fault)
 */
public record Verdict(Outcome outcome, String detail) {

    public enum Outcome {
        VERIFIED, FAILED, UNVERIFIABLE;

        public String dbValue() {
            return name().toLowerCase();
        }
    }

    public static Verdict verified(String detail) {
        return new Verdict(Outcome.VERIFIED, detail);
    }

    public static Verdict failed(String detail) {
        return new Verdict(Outcome.FAILED, detail);
    }

    public static Verdict unverifiable(String detail) {
        return new Verdict(Outcome.UNVERIFIABLE, detail);
    }

    /** The same verdict, with a note after its detail. */
    public Verdict withNote(String note) {
        return new Verdict(outcome, detail + " (" + note + ")");
    }
}
