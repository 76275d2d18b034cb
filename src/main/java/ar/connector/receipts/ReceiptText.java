package ar.connector.receipts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a receipt: a template whose first line is {@code Asunto: …} and whose placeholders
 * ({@code {tienda}}, {@code {comprador}}, {@code {letra}}, {@code {numero}}, {@code {fecha}},
 * {@code {total}}, {@code {pedido}}, {@code {enlace}}, {@code {cae}}) are filled from the invoice. A
 * line that uses {@code {enlace}} is left out when Contabilium gave no public link. Plain Java, no mail API.
 */
public final class ReceiptText {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)\\}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    /** What a receipt says about one invoice. */
    public record Invoice(String store, String buyer, String tipo, String numero, LocalDate date, BigDecimal total,
            long orderId, String publicLink, String cae) {
    }

    public record Rendered(String subject, String body) {
    }

    private final String template;

    public ReceiptText(String template) {
        if (!template.startsWith("Asunto:")) {
            throw new IllegalArgumentException("A receipt template starts with a line 'Asunto: ...'");
        }
        this.template = template.replace("\r\n", "\n");
    }

    public Rendered render(Invoice invoice) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("tienda", invoice.store());
        values.put("comprador", invoice.buyer() == null || invoice.buyer().isBlank() ? "cliente" : invoice.buyer());
        values.put("letra", letter(invoice.tipo()));
        values.put("numero", invoice.numero());
        values.put("fecha", invoice.date() == null ? "" : DATE.format(invoice.date()));
        values.put("total", pesos(invoice.total()));
        values.put("pedido", String.valueOf(invoice.orderId()));
        values.put("enlace", invoice.publicLink() == null ? "" : invoice.publicLink());
        values.put("cae", invoice.cae() == null ? "" : invoice.cae());
        boolean link = invoice.publicLink() != null && !invoice.publicLink().isBlank();
        StringBuilder body = new StringBuilder();
        String subject = null;
        for (String line : template.split("\n", -1)) {
            if (subject == null) {
                subject = fill(line.substring("Asunto:".length()).trim(), values);
                continue;
            }
            if (!link && line.contains("{enlace}")) {
                continue;
            }
            body.append(fill(line, values)).append('\n');
        }
        return new Rendered(subject, body.toString().strip() + "\n");
    }

    /** "FCB" -> "B"; a bare letter stays as it is. */
    public static String letter(String tipo) {
        return tipo == null || tipo.isBlank() ? "" : tipo.substring(tipo.length() - 1).toUpperCase(Locale.ROOT);
    }

    /** "$ 1.234,50": Argentine grouping and decimals, two decimals always. */
    public static String pesos(BigDecimal amount) {
        if (amount == null) {
            return "";
        }
        DecimalFormatSymbols symbols = new DecimalFormatSymbols(Locale.ROOT);
        symbols.setGroupingSeparator('.');
        symbols.setDecimalSeparator(',');
        symbols.setMinusSign('-');
        DecimalFormat format = new DecimalFormat("#,##0.00", symbols);
        return "$ " + format.format(amount.setScale(2, RoundingMode.HALF_UP));
    }

    /** "Factura-B-0003-00001234.pdf": only characters every mail client keeps in a file name. */
    public static String fileName(String tipo, String numero) {
        String kind = tipo != null && tipo.toUpperCase(Locale.ROOT).startsWith("NC") ? "NotaDeCredito" : "Factura";
        String safe = numero == null ? "sin-numero" : numero.replaceAll("[^0-9A-Za-z-]", "-");
        return kind + "-" + letter(tipo) + "-" + safe + ".pdf";
    }

    private static String fill(String line, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
