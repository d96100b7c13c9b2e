package io.autobus;

import java.util.List;

/**
 * Closes resources one after the other, each of them even when an earlier one throws (a failed
 * store client must not leave the embedded verification server running); the first failure is
 * thrown at the end, with the others suppressed in it.
 */
final class ClosingInOrder {
    private ClosingInOrder() {
    }

    static void closeAll(List<AutoCloseable> resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException unchecked ? unchecked
                            : new IllegalStateException("could not close: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
