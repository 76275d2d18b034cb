package ar.connector.exports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.invoicing.OrderStatus;

/**
 * The order log of a link as a CSV (RFC 4180, UTF-8) or an Excel sheet, newest order first, read a
 * chunk of rows at a time: whatever the log's size, memory holds one chunk (and POI's streaming
 * workbook keeps {@value #ROWS_IN_MEMORY} rows, the rest in a temporary file).
 */
@Component
public class OrderLogExport {

    static final int CHUNK = 500;
    static final int ROWS_IN_MEMORY = 100;
    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(BUENOS_AIRES);

    /** The columns, in order; money columns hold plain decimals (dot), dates are Buenos Aires time. */
    public static final List<String> HEADER = List.of("pedido", "fecha_pedido", "comprador", "email", "total_pedido",
            "estado", "motivo", "factura_tipo", "factura_numero", "factura_cae", "factura_total", "factura_fecha",
            "nota_credito_tipo", "nota_credito_numero", "nota_credito_cae", "nota_credito_total", "nota_credito_fecha",
            "comprobante_email", "comprobante_enviado", "comprobante_destinatario");

    /** Which rows: an optional state and an optional range of order dates (Buenos Aires, inclusive). */
    public record Filter(OrderStatus status, LocalDate from, LocalDate to) {
    }

    private final JdbcTemplate jdbc;

    public OrderLogExport(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void csv(long linkId, Filter filter, OutputStream out) throws IOException {
        OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get())) {
            forEachRow(linkId, filter, values -> {
                List<Object> cells = new ArrayList<>(values.size());
                for (Object value : values) {
                    cells.add(value instanceof Instant instant ? WHEN.format(instant) : value);
                }
                csv.printRecord(cells);
            });
        }
    }

    public void xlsx(long linkId, Filter filter, OutputStream out) throws IOException {
        SXSSFWorkbook workbook = new SXSSFWorkbook(ROWS_IN_MEMORY);
        try {
            SXSSFSheet sheet = workbook.createSheet("Pedidos");
            CellStyle bold = workbook.createCellStyle();
            Font font = workbook.createFont();
            font.setBold(true);
            bold.setFont(font);
            CellStyle money = workbook.createCellStyle();
            money.setDataFormat(workbook.createDataFormat().getFormat("#,##0.00"));
            CellStyle date = workbook.createCellStyle();
            date.setDataFormat(workbook.createDataFormat().getFormat("dd/mm/yyyy hh:mm"));
            Row header = sheet.createRow(0);
            for (int i = 0; i < HEADER.size(); i++) {
                Cell cell = header.createCell(i);
                cell.setCellValue(HEADER.get(i));
                cell.setCellStyle(bold);
            }
            sheet.createFreezePane(0, 1);
            int[] next = {1};
            forEachRow(linkId, filter, values -> {
                Row row = sheet.createRow(next[0]++);
                for (int i = 0; i < values.size(); i++) {
                    Object value = values.get(i);
                    if (value == null) {
                        continue;
                    }
                    Cell cell = row.createCell(i);
                    if (value instanceof BigDecimal amount) {
                        cell.setCellValue(amount.doubleValue());
                        cell.setCellStyle(money);
                    } else if (value instanceof Long number) {
                        cell.setCellValue(number);
                    } else if (value instanceof Instant instant) {
                        // Excel has no time zones: the Buenos Aires wall time.
                        cell.setCellValue(instant.atZone(BUENOS_AIRES).toLocalDateTime());
                        cell.setCellStyle(date);
                    } else {
                        cell.setCellValue(value.toString());
                    }
                }
            });
            workbook.write(out);
        } finally {
            workbook.dispose();
            workbook.close();
        }
    }

    private interface RowSink {
        void accept(List<Object> values) throws IOException;
    }

    /** The rows in chunks, newest order first (keyset paging on the order id, not OFFSET). */
    private void forEachRow(long linkId, Filter filter, RowSink sink) throws IOException {
        StringBuilder where = new StringBuilder("link_id = ? and order_id < ?");
        List<Object> args = new ArrayList<>(List.of(linkId, 0L));
        if (filter.status() != null) {
            where.append(" and status = ?");
            args.add(filter.status().name());
        }
        if (filter.from() != null) {
            where.append(" and order_created_at >= ?");
            args.add(Timestamp.from(filter.from().atStartOfDay(BUENOS_AIRES).toInstant()));
        }
        if (filter.to() != null) {
            where.append(" and order_created_at < ?");
            args.add(Timestamp.from(filter.to().plusDays(1).atStartOfDay(BUENOS_AIRES).toInstant()));
        }
        long before = Long.MAX_VALUE;
        while (true) {
            args.set(1, before);
            List<List<Object>> chunk = jdbc.query("select * from order_record where " + where
                    + " order by order_id desc limit " + CHUNK, (rs, n) -> values(rs), args.toArray());
            for (List<Object> values : chunk) {
                sink.accept(values);
            }
            if (chunk.size() < CHUNK) {
                return;
            }
            before = (Long) chunk.get(chunk.size() - 1).get(0);
        }
    }

    private static List<Object> values(ResultSet rs) throws SQLException {
        List<Object> v = new ArrayList<>(HEADER.size());
        v.add(rs.getLong("order_id"));
        v.add(instant(rs, "order_created_at"));
        v.add(rs.getString("buyer_name"));
        v.add(rs.getString("buyer_email"));
        v.add(rs.getBigDecimal("order_total"));
        v.add(rs.getString("status"));
        v.add(rs.getString("reason"));
        boolean invoiced = rs.getString("invoice_cae") != null;
        v.add(invoiced ? rs.getString("invoice_tipo") : null);
        v.add(rs.getString("invoice_numero"));
        v.add(rs.getString("invoice_cae"));
        v.add(rs.getBigDecimal("invoice_total"));
        v.add(instant(rs, "invoiced_at"));
        boolean credited = rs.getString("credit_cae") != null;
        v.add(credited ? rs.getString("credit_tipo") : null);
        v.add(rs.getString("credit_numero"));
        v.add(rs.getString("credit_cae"));
        v.add(rs.getBigDecimal("credit_total"));
        v.add(instant(rs, "credited_at"));
        String receipt = rs.getString("receipt_status");
        v.add("SENDING".equals(receipt) ? "PENDING" : receipt);
        v.add(instant(rs, "receipt_sent_at"));
        v.add(rs.getString("receipt_to"));
        return v;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
