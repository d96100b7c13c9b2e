package io.autobus.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A mysqldump stream with every {@code DEFINER=user@host} of a trigger, view, routine or event
 * made {@code DEFINER=CURRENT_USER}. The scratch user may not create objects for another user
 * (that needs SUPER), and must not: an event restored with its original definer would run with
 * that account's privileges on the verification server. Only the head of the lines that
 * mysqldump starts those statements with is looked at; everything else streams through as is.
 */
public final class DefinerRewriter extends InputStream {
    /** How mysqldump and mariadb-dump begin a statement that carries a definer. */
    private static final List<byte[]> STARTS = List.of(bytes("/*!50003 CREATE*/"), bytes("/*!50013 DEFINER="),
            bytes("CREATE DEFINER="), bytes("/*!50106 CREATE*/"));
    /** Long enough for the clause (user names are at most 80 characters, host names 255), quoted. */
    private static final int HEAD_BYTES = 2048;
    private static final Pattern DEFINER = Pattern.compile(
            "DEFINER=(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\\s@*/]+)@(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\\s*/]+)");

    private final PushbackInputStream in;
    private byte[] head = new byte[0];
    private int headPosition;
    private boolean atLineStart = true;

    public DefinerRewriter(InputStream in) {
        this.in = new PushbackInputStream(in, 64 * 1024);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (headPosition < head.length) {
            int n = Math.min(length, head.length - headPosition);
            System.arraycopy(head, headPosition, buffer, offset, n);
            headPosition += n;
            return n;
        }
        if (atLineStart) {
            readHead();
            if (head.length == 0) {
                return -1;
            }
            return read(buffer, offset, length);
        }
        int n = in.read(buffer, offset, Math.min(length, 64 * 1024));
        if (n < 0) {
            return -1;
        }
        for (int i = offset; i < offset + n; i++) {
            if (buffer[i] == '\n') {
                in.unread(buffer, i + 1, offset + n - i - 1);
                atLineStart = true;
                return i + 1 - offset;
            }
        }
        return n;
    }

    /** Reads the start of a line (up to its end or HEAD_BYTES) and rewrites its definer if it has one. */
    private void readHead() throws IOException {
        byte[] bytes = new byte[HEAD_BYTES];
        int n = 0;
        int b;
        while (n < HEAD_BYTES && (b = in.read()) >= 0) {
            bytes[n++] = (byte) b;
            if (b == '\n') {
                break;
            }
            if (n == 1 && b != '/' && b != 'C') {
                break; // not one of the starts: the rest of the line streams through
            }
        }
        atLineStart = n > 0 && bytes[n - 1] == '\n';
        head = Arrays.copyOf(bytes, n);
        headPosition = 0;
        if (STARTS.stream().anyMatch(this::headStartsWith)) {
            String text = new String(head, StandardCharsets.ISO_8859_1);
            head = DEFINER.matcher(text).replaceFirst("DEFINER=CURRENT_USER").getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private boolean headStartsWith(byte[] start) {
        return head.length >= start.length && Arrays.equals(head, 0, start.length, start, 0, start.length);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
