package io.autobus.storage;

/** The Content-Disposition that makes browsers save a download under the snapshot's file name. */
public final class ContentDisposition {
    private ContentDisposition() {
    }

    /** {@code attachment; filename="NAME"}; refuses names that would need escaping (ours never do). */
    public static String attachment(String fileName) {
        if (fileName == null || !fileName.matches("[\\x21-\\x7E&&[^\"\\\\/]][\\x20-\\x7E&&[^\"\\\\/]]*")) {
            throw new IllegalArgumentException("a download file name must be printable ASCII without quotes, "
                    + "backslashes or slashes, got '" + fileName + "'");
        }
        return "attachment; filename=\"" + fileName + "\"";
    }
}
