package io.autobus.restore;

import io.autobus.dump.PgArchiveToc.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archive entries that make up chosen tables, found by the dependencies in the archive's
 * table of contents: each table's definition and data, and every entry that depends on the table
 * and belongs to it (indexes, constraints, its own foreign keys, triggers, column defaults,
 * comments, rules, policies), with the sequences it owns and their current values. Other tables'
 * foreign keys that point at a chosen table are added only when asked (a replace drops and
 * recreates them around the table). Also the names of the relations restored, spelled as
 * pg_dump spelled them, for restoring under another schema ({@link SchemaRenamingScript}).
 */
final class PgTableSelection {
    private static final String NAME = "(?:\"(?:[^\"]|\"\")*\"|[^\\s.\"(]+)";
    private static final Pattern QUALIFIED = Pattern.compile("(" + NAME + ")\\.(" + NAME + ")");
    private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE (?:UNLOGGED |FOREIGN )?TABLE (" + NAME + "\\." + NAME + ")");
    private static final Pattern CREATE_SEQUENCE = Pattern.compile("^CREATE SEQUENCE (" + NAME + "\\." + NAME + ")");
    private static final Pattern REFERENCES = Pattern.compile("REFERENCES (" + NAME + "\\." + NAME + ")\\(");
    private static final Pattern IDENTITY_SEQUENCE = Pattern.compile("SEQUENCE NAME (" + NAME + "\\." + NAME + ")");
    private static final Set<String> BELONGING = Set.of("INDEX", "CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT", "TRIGGER", "DEFAULT",
            "COMMENT", "RULE", "POLICY", "ROW SECURITY", "STATISTICS", "SEQUENCE OWNED BY", "SEQUENCE", "INDEX ATTACH");

    /** A relation restored: as pg_dump spelled it qualified, and its schema-less part. */
    record Relation(String qualified, String name) {
    }

    record Selection(Set<Integer> ids, List<Relation> relations) {
    }

    private PgTableSelection() {
    }

    /**
     * @param tables                    the chosen tables, {@code schema.name} as the snapshot's statistics name them
     * @param withReferencingForeignKeys also other tables' foreign keys that point at a chosen table
     */
    static Selection of(List<Entry> entries, List<String> tables, boolean withReferencingForeignKeys) {
        var byId = new HashMap<Integer, Entry>();
        entries.forEach(entry -> byId.put(entry.dumpId(), entry));
        var ids = new LinkedHashSet<Integer>();
        var relations = new ArrayList<Relation>();
        for (String table : tables) {
            int dot = table.indexOf('.');
            String schema = table.substring(0, dot);
            String name = table.substring(dot + 1);
            Entry definition = entries.stream().filter(e -> e.desc().equals("TABLE") && e.namespace().equals(schema) && e.tag().equals(name))
                    .findFirst().orElseThrow(() -> new RestoreException("the snapshot holds no definition of table " + table));
            String spelling = spelling(CREATE_TABLE, definition.defn(), table);
            relations.add(relation(spelling));
            ids.add(definition.dumpId());
            entries.stream().filter(e -> e.desc().equals("TABLE DATA") && e.namespace().equals(schema) && e.tag().equals(name))
                    .forEach(e -> ids.add(e.dumpId()));
            for (Entry entry : entries) {
                if (!entry.dependencies().contains(definition.dumpId()) || !BELONGING.contains(entry.desc())) {
                    continue;
                }
                if (entry.desc().equals("FK CONSTRAINT") && !ownConstraint(entry, spelling) && !withReferencingForeignKeys) {
                    continue; // another table's foreign key pointing at this one
                }
                if (!ids.add(entry.dumpId())) {
                    continue; // a sequence its OWNED BY entry brought already
                }
                if (entry.desc().equals("SEQUENCE")) { // a serial's or an identity column's sequence
                    relations.add(relation(sequenceSpelling(entry)));
                    addSequenceSet(entries, entry.dumpId(), ids);
                }
                if (entry.desc().equals("SEQUENCE OWNED BY")) {
                    for (int id : entry.dependencies()) {
                        Entry sequence = byId.get(id);
                        if (sequence != null && sequence.desc().equals("SEQUENCE") && ids.add(sequence.dumpId())) {
                            relations.add(relation(sequenceSpelling(sequence)));
                            addSequenceSet(entries, sequence.dumpId(), ids);
                        }
                    }
                }
            }
        }
        return new Selection(ids, relations);
    }

    /** The table a foreign key points at, as pg_dump spelled it ({@code ... REFERENCES public.customers(id)}); null if unreadable. */
    static String referencedTable(Entry foreignKey) {
        Matcher matcher = REFERENCES.matcher(foreignKey.defn() == null ? "" : foreignKey.defn());
        return matcher.find() ? matcher.group(1) : null;
    }

    /** A table's own constraint reads {@code ALTER TABLE ONLY <the table>} (pg_dump's dumpConstraint). */
    private static boolean ownConstraint(Entry constraint, String tableSpelling) {
        String defn = constraint.defn() == null ? "" : constraint.defn();
        return defn.startsWith("ALTER TABLE ONLY " + tableSpelling + "\n") || defn.startsWith("ALTER TABLE " + tableSpelling + "\n");
    }

    /** A sequence's current value and its OWNED BY (pg_dump 15 makes that entry depend on the sequence alone). */
    private static void addSequenceSet(List<Entry> entries, int sequenceId, Set<Integer> ids) {
        entries.stream().filter(e -> (e.desc().equals("SEQUENCE SET") || e.desc().equals("SEQUENCE OWNED BY"))
                && e.dependencies().contains(sequenceId)).forEach(e -> ids.add(e.dumpId()));
    }

    /** {@code CREATE SEQUENCE s.n} for a serial's; {@code ... ADD GENERATED ... (SEQUENCE NAME s.n} for an identity column's. */
    private static String sequenceSpelling(Entry sequence) {
        String defn = sequence.defn() == null ? "" : sequence.defn();
        return spelling(defn.startsWith("CREATE SEQUENCE") ? CREATE_SEQUENCE : IDENTITY_SEQUENCE, defn, sequence.tag());
    }

    private static String spelling(Pattern pattern, String defn, String what) {
        Matcher matcher = pattern.matcher(defn == null ? "" : defn);
        if (!matcher.find()) {
            throw new RestoreException("cannot tell how the snapshot names " + what + "; restore it whole or in place instead");
        }
        return matcher.group(1);
    }

    private static Relation relation(String qualified) {
        Matcher matcher = QUALIFIED.matcher(qualified);
        if (!matcher.matches()) {
            throw new RestoreException("cannot read the name " + qualified);
        }
        return new Relation(qualified, matcher.group(2));
    }

    /** The use-list pg_restore reads: one entry id per line, in the archive's order (pg_restore restores in the list's). */
    static String useList(List<Entry> entries, Set<Integer> ids) {
        var list = new StringBuilder();
        entries.stream().filter(entry -> ids.contains(entry.dumpId())).forEach(entry -> list.append(entry.dumpId()).append(";\n"));
        return list.toString();
    }
}
