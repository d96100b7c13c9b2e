package io.autobus;

import java.util.EnumSet;
import java.util.Set;

/** What a process does: serve HTTP ({@code web}), run jobs ({@code worker}), or both (the default). */
public enum Role {
    WEB, WORKER;

    /** From the command line: {@code web}, {@code worker}, or nothing for both. */
    public static Set<Role> fromArgs(String[] args) {
        if (args.length == 0) {
            return EnumSet.allOf(Role.class);
        }
        var roles = EnumSet.noneOf(Role.class);
        for (String arg : args) {
            try {
                roles.add(valueOf(arg.toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown process type '" + arg + "': use web, worker, or nothing for both");
            }
        }
        return roles;
    }
}
