package io.autobus.addon;

/** Whether Autobus can read the app's config vars, and so find and back up its databases. */
public enum AccessState {
    /** Just provisioned: the OAuth grant is not exchanged yet or the app is not known yet. */
    PENDING,
    /** Our Heroku account is not (or no longer) a collaborator of the app. */
    WAITING_FOR_ACCESS,
    /** Config vars were read at the last check. */
    ACTIVE;

    public String dbValue() {
        return name().toLowerCase();
    }

    public static AccessState fromDb(String value) {
        return valueOf(value.toUpperCase());
    }
}
