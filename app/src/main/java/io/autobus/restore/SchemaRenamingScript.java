package io.autobus.restore;

import io.autobus.dump.PieceInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * pg_restore's SQL script of chosen tables, moved to another schema on its way to psql: every
 * mention of a restored relation ({@code public.orders}, {@code 'public.orders_id_seq'::regclass},
 * {@code "Billing Dept"."Order Items"}) is spelled with the new schema, outside the COPY data,
 * which passes as it is. Mentions of anything else (the live tables other tables' keys point at,
 * functions a trigger runs) keep theirs. All in one transaction that creates the schema first and
 * commits only once pg_restore's script ended whole (its exit status checked by the stream it
 * comes from): a script cut short leaves psql at its end without COMMIT, so nothing stays. psql runs it
 * with our privileges on our worker, so only the psql "restrict" and "unrestrict" lines of
 * the given key are let through as meta-commands: any other line starting with a backslash
 * outside COPY data fails the restore.
 */
final class SchemaRenamingScript extends PieceInputStream {
    private final BufferedReader script;
    private final List<PgTableSelection.Relation> relations;
    private final String schema;
    private final String restrictKey;
    private boolean started;
    private boolean inData;
    private boolean ended;

    SchemaRenamingScript(InputStream script, List<PgTableSelection.Relation> relations, String schema, String restrictKey) {
        // ISO-8859-1 maps bytes to chars one to one: names in any encoding pass unchanged.
        this.script = new BufferedReader(new InputStreamReader(script, StandardCharsets.ISO_8859_1), 64 * 1024);
        this.relations = new ArrayList<>(relations);
        // The longest spelling first: public.orders_id_seq before public.orders.
        this.relations.sort((a, b) -> b.qualified().length() - a.qualified().length());
        this.schema = schema;
        this.restrictKey = restrictKey;
    }

    @Override
    protected byte[] nextPiece() throws IOException {
        if (!started) {
            started = true;
            return ("BEGIN;\nCREATE SCHEMA " + schema + ";\n").getBytes(StandardCharsets.ISO_8859_1);
        }
        if (ended) {
            return null;
        }
        String line = script.readLine();
        if (line == null) {
            ended = true;
            return "COMMIT;\n".getBytes(StandardCharsets.ISO_8859_1);
        }
        return (rewrite(line) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private String rewrite(String line) throws IOException {
        if (inData) {
            if (line.equals("\\.")) {
                inData = false;
            }
            return line;
        }
        if (line.startsWith("\\")) {
            if (line.equals("\\restrict " + restrictKey) || line.equals("\\unrestrict " + restrictKey)) {
                return line;
            }
            throw new IOException("pg_restore's script holds a psql meta-command; the restore was stopped");
        }
        String renamed = rename(line);
        if (renamed.startsWith("COPY ") && renamed.endsWith(" FROM stdin;")) {
            inData = true;
        }
        return renamed;
    }

    /** Each mention of a restored relation, standing alone (not part of a longer name), with the new schema. */
    String rename(String line) {
        var out = new StringBuilder(line.length() + 16);
        int i = 0;
        while (i < line.length()) {
            PgTableSelection.Relation found = null;
            if (i == 0 || !nameChar(line.charAt(i - 1)) && line.charAt(i - 1) != '.') {
                for (var relation : relations) {
                    String q = relation.qualified();
                    int end = i + q.length();
                    if (line.startsWith(q, i) && (end == line.length() || !nameChar(line.charAt(end)))) {
                        found = relation;
                        break;
                    }
                }
            }
            if (found != null) {
                out.append(schema).append('.').append(found.name());
                i += found.qualified().length();
            } else {
                out.append(line.charAt(i++));
            }
        }
        return out.toString();
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '"';
    }

    @Override
    public void close() throws IOException {
        script.close();
    }
}
