package io.autobus.dump;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Counts the rows of each table in the SQL that mysqldump or mariadb-dump writes, as the bytes
 * pass: byte by byte, holding no line (one INSERT can be hundreds of MB). A table's data sits
 * between {@code LOCK TABLES `t` WRITE;} and {@code UNLOCK TABLES;} (both dumps write them around
 * every table whose data they dump, even an empty one); there, each
 * {@code INSERT INTO `t` [(`column`, ...)] VALUES (...),(...);} adds one row per top-level
 * parenthesis. Values are numbers, {@code NULL}, {@code 0x} hex and single-quoted strings whose
 * quotes are escaped as {@code \'} or {@code ''}; parentheses, semicolons and line breaks inside
 * strings are data. Triggers and routines, whose bodies may hold INSERTs of their own, come
 * outside those sections. Tells {@link DumpProgress} the bytes, the table and its rows.
 */
public final class MysqlRowCounter implements ToolPipeline.Tap {
    private static final byte[] LOCK = ascii("LOCK TABLES `");
    private static final byte[] UNLOCK = ascii("UNLOCK TABLES;");
    private static final byte[] INSERT = ascii("INSERT INTO `");
    private static final byte[] VALUES = ascii("VALUES");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2727272727272727L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    /** Far above a MySQL name's 64 characters, even of 4 bytes each with every backquote doubled. */
    private static final int MAX_NAME_BYTES = 1024;

    private enum State {
        /** A line's first byte, outside any statement that matters. */
        LINE_START,
        /** A line that began as one of the statements that matter; {@link #keyword} says which. */
        KEYWORD,
        /** The rest of a line that does not matter. */
        SKIP_LINE,
        /** A backquoted table name, after LOCK TABLES or INSERT INTO. */
        NAME,
        /** A backquote inside a name: a doubled one, or the name's end. */
        NAME_QUOTE,
        /** Between an INSERT's table name and its VALUES: perhaps a list of columns. */
        COLUMNS,
        /** A backquoted column name in that list. */
        COLUMN_NAME,
        /** The tuples after VALUES, up to the statement's semicolon. */
        TUPLES,
        /** A quoted string in a tuple. */
        STRING,
        /** The byte after a backslash in a string. */
        ESCAPED
    }

    private final DumpProgress progress;
    private State state = State.LINE_START;
    /** Between LOCK TABLES and UNLOCK TABLES. */
    private boolean inTableData;
    private byte[] keyword;
    private int matched;
    private final byte[] name = new byte[MAX_NAME_BYTES];
    private int nameLength;
    private String table;
    private int depth;
    private long rows;

    /** A dump's SQL read through a counter telling {@code progress} its tables as they pass (a restore's input). */
    public static java.io.InputStream watching(java.io.InputStream sql, DumpProgress progress) {
        var counter = new MysqlRowCounter(progress);
        return new java.io.FilterInputStream(sql) {
            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    counter.pass(buffer, offset, n);
                }
                return n;
            }
        };
    }

    MysqlRowCounter(DumpProgress progress) {
        this.progress = progress;
    }

    @Override
    public void pass(byte[] bytes, int offset, int length) {
        progress.addBytes(length);
        int end = offset + length;
        int i = offset;
        while (i < end) {
            i = switch (state) {
                case TUPLES -> tuples(bytes, i, end);
                case STRING -> string(bytes, i, end);
                case ESCAPED -> {
                    state = State.STRING;
                    yield i + 1;
                }
                case SKIP_LINE -> skipLine(bytes, i, end);
                default -> {
                    statement(bytes[i]);
                    yield i + 1;
                }
            };
        }
    }

    @Override
    public void end() {
        progress.finished();
    }

    /** Inside a tuple list: the bytes that matter are quotes, parentheses and the final semicolon. */
    private int tuples(byte[] bytes, int i, int end) {
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b == '\'') {
                state = State.STRING;
                return i + 1;
            } else if (b == '(') {
                depth++;
            } else if (b == ')') {
                if (--depth == 0) {
                    rows++;
                }
            } else if (b == ';' && depth == 0) {
                progress.addRows(table, rows);
                state = State.SKIP_LINE;
                return i + 1;
            }
        }
        return i;
    }

    /** Inside a string: only its closing quote and backslashes matter ({@code ''} closes and reopens it). */
    private int string(byte[] bytes, int i, int end) {
        // Most of a dump is string: skip eight bytes at a time while none is a quote or a backslash.
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            if (hasByte(word, QUOTES) || hasByte(word, BACKSLASHES)) {
                break;
            }
        }
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b == '\'') {
                state = State.TUPLES;
                return i + 1;
            } else if (b == '\\') {
                state = State.ESCAPED;
                return i + 1;
            }
        }
        return i;
    }

    /** Whether one of the eight bytes of {@code word} is the byte repeated in {@code repeated} (the zero-byte test of SWAR). */
    private static boolean hasByte(long word, long repeated) {
        long x = word ^ repeated;
        return ((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0;
    }

    private int skipLine(byte[] bytes, int i, int end) {
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                state = State.LINE_START;
                return i + 1;
            }
        }
        return i;
    }

    /** The few bytes around a table name, one at a time. */
    private void statement(byte b) {
        switch (state) {
            case LINE_START -> lineStart(b);
            case KEYWORD -> {
                if (b != keyword[matched]) {
                    state = b == '\n' ? State.LINE_START : State.SKIP_LINE;
                } else if (++matched == keyword.length) {
                    keywordMatched();
                }
            }
            case NAME -> {
                if (b == '`') {
                    state = State.NAME_QUOTE;
                } else if (nameLength < name.length) {
                    name[nameLength++] = b;
                }
            }
            case NAME_QUOTE -> {
                if (b == '`') {
                    state = State.NAME;
                    if (nameLength < name.length) {
                        name[nameLength++] = b;
                    }
                } else {
                    nameEnded();
                    if (state == State.COLUMNS) {
                        columns(b);
                    } else if (b == '\n') {
                        state = State.LINE_START;
                    }
                }
            }
            case COLUMNS -> columns(b);
            case COLUMN_NAME -> state = b == '`' ? State.COLUMNS : State.COLUMN_NAME;
            default -> throw new IllegalStateException("no byte-wise handling for " + state);
        }
    }

    private void lineStart(byte b) {
        keyword = switch (b) {
            case 'L' -> LOCK;
            case 'I' -> inTableData ? INSERT : null;
            case 'U' -> inTableData ? UNLOCK : null;
            default -> null;
        };
        if (keyword != null) {
            matched = 1;
            state = State.KEYWORD;
        } else if (b != '\n') {
            state = State.SKIP_LINE;
        }
    }

    private void keywordMatched() {
        if (keyword == UNLOCK) {
            inTableData = false;
            state = State.SKIP_LINE;
        } else {
            nameLength = 0;
            state = State.NAME;
        }
    }

    private void nameEnded() {
        String ended = new String(name, 0, nameLength, StandardCharsets.UTF_8);
        if (!ended.equals(table)) {
            table = ended;
            progress.enter(table);
        }
        if (keyword == LOCK) {
            inTableData = true;
            state = State.SKIP_LINE;
        } else {
            matched = 0;
            state = State.COLUMNS;
        }
    }

    /** Skips {@code (`a`, `b`)} up to VALUES, which cannot appear outside backquotes there. */
    private void columns(byte b) {
        if (b == '`') {
            state = State.COLUMN_NAME;
        } else if (b == ';') {
            state = State.SKIP_LINE; // no VALUES: not a statement mysqldump writes
        } else if (b == VALUES[matched]) {
            if (++matched == VALUES.length) {
                depth = 0;
                rows = 0;
                state = State.TUPLES;
            }
        } else {
            matched = b == VALUES[0] ? 1 : 0;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
