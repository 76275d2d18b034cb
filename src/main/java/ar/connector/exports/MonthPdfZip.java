package ar.connector.exports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.documents.InvoicePdfs;
import ar.connector.links.Link;
import ar.connector.receipts.ReceiptText;

/**
 * The month's invoices and credit notes of a link (issued in that Buenos Aires month, as the order log
 * records them) as one ZIP, written while it is read: one PDF in memory at a time, fetched through
 * {@link InvoicePdfs} (the shared PDF cache). A PDF that cannot be read does not stop the others: it is listed, with the
 * reason, in {@value #ERRORS} at the end of the archive.
 */
@Component
public class MonthPdfZip {

    static final String ERRORS = "NO-INCLUIDOS.txt";
    private static final Logger log = LoggerFactory.getLogger(MonthPdfZip.class);
    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");
    private static final int CHUNK = 200;

    private final JdbcTemplate jdbc;
    private final InvoicePdfs pdfs;

    public MonthPdfZip(JdbcTemplate jdbc, InvoicePdfs pdfs) {
        this.jdbc = jdbc;
        this.pdfs = pdfs;
    }

    private record Document(long recordId, long orderId, long contabiliumId, String tipo, String numero) {
    }

    public void write(Link link, YearMonth month, OutputStream out) throws IOException {
        Timestamp from = Timestamp.from(month.atDay(1).atStartOfDay(BUENOS_AIRES).toInstant());
        Timestamp until = Timestamp.from(month.plusMonths(1).atDay(1).atStartOfDay(BUENOS_AIRES).toInstant());
        List<String> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        for (String slot : List.of("invoice", "credit")) {
            String at = slot.equals("invoice") ? "invoiced_at" : "credited_at";
            for (long after = -1; ; ) {
                List<Document> chunk = jdbc.query("select id, order_id, " + slot + "_id, " + slot + "_tipo, " + slot
                        + "_numero from order_record where link_id = ? and " + slot + "_cae is not null and " + slot
                        + "_id is not null and " + at + " >= ? and " + at + " < ? and id > ? order by id limit " + CHUNK,
                        (rs, n) -> new Document(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5)), link.getId(), from, until, after);
                for (Document doc : chunk) {
                    add(zip, link, doc, names, errors);
                    after = doc.recordId();
                }
                if (chunk.size() < CHUNK) {
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            zip.putNextEntry(new ZipEntry(ERRORS));
            zip.write(("Comprobantes que no se pudieron leer de Contabilium; vuelva a descargar el archivo más tarde.\n\n"
                    + String.join("\n", errors) + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    private void add(ZipOutputStream zip, Link link, Document doc, Set<String> names, List<String> errors)
            throws IOException {
        byte[] pdf;
        try {
            pdf = pdfs.pdf(link, doc.contabiliumId());
        } catch (ApiCallException e) {
            log.warn("PDF of document {} (order {}) not in the month's ZIP: {}", doc.contabiliumId(), doc.orderId(),
                    e.getMessage());
            errors.add(doc.tipo() + " " + doc.numero() + " (pedido #" + doc.orderId() + "): " + e.getMessage());
            return;
        }
        String name = ReceiptText.fileName(doc.tipo(), doc.numero());
        for (int n = 2; !names.add(name); n++) {
            name = ReceiptText.fileName(doc.tipo(), doc.numero()).replace(".pdf", "-" + n + ".pdf");
        }
        zip.putNextEntry(new ZipEntry(name));
        zip.write(pdf);
        zip.closeEntry();
    }
}
