package ar.connector.sandbox.contabilium;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small but valid PDF 1.4 (one A4 page, Helvetica, correct xref offsets) by hand, so the
 * sandbox needs no PDF library. Text is encoded as WinAnsi (Latin-1 covers Spanish).
 */
final class MinimalPdf {

    private MinimalPdf() {
    }

    static byte[] page(List<String> lines) {
        StringBuilder content = new StringBuilder("BT\n/F1 12 Tf\n14 TL\n50 790 Td\n");
        for (String line : lines) {
            content.append('(').append(escape(line)).append(") Tj T*\n");
        }
        content.append("ET\n");
        byte[] stream = content.toString().getBytes(StandardCharsets.ISO_8859_1);

        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        objects.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                + "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n"); // binary marker line, as the spec recommends
        long[] offsets = new long[objects.size() + 2];
        int n = 1;
        for (String body : objects) {
            offsets[n] = out.size();
            write(out, n + " 0 obj\n" + body + "\nendobj\n");
            n++;
        }
        offsets[n] = out.size();
        write(out, n + " 0 obj\n<< /Length " + stream.length + " >>\nstream\n");
        out.writeBytes(stream);
        write(out, "endstream\nendobj\n");
        long xref = out.size();
        StringBuilder x = new StringBuilder("xref\n0 " + (n + 1) + "\n0000000000 65535 f \n");
        for (int i = 1; i <= n; i++) {
            x.append(String.format("%010d 00000 n \n", offsets[i]));
        }
        x.append("trailer\n<< /Size ").append(n + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        write(out, x.toString());
        return out.toByteArray();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') {
                b.append('\\');
            }
            b.append(c > 0xFF ? '?' : c);
        }
        return b.toString();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
