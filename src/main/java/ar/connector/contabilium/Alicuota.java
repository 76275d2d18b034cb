package ar.connector.contabilium;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The IVA of a concept or an invoice line as Contabilium writes it in {@code Iva}: a rate in percent (21,
 * 10.5, 27, 5, 2.5, 0), or {@code "Exento"} / {@code "No gravado"}. Both of those charge no IVA, but unlike
 * a 0 % rate they are not taxed operations, and ARCA keeps the three amounts apart; so they are never
 * turned into 0.
 *
 * @param percent   the rate; 0 for the two exemptions
 * @param exemption {@code "Exento"} or {@code "No gravado"}, or null for a rate
 */
public record Alicuota(BigDecimal percent, String exemption) {

    public static final String EXENTO_NAME = "Exento";
    public static final String NO_GRAVADO_NAME = "No gravado";
    public static final Alicuota ZERO = rate(BigDecimal.ZERO);
    public static final Alicuota EXENTO = new Alicuota(BigDecimal.ZERO, EXENTO_NAME);
    public static final Alicuota NO_GRAVADO = new Alicuota(BigDecimal.ZERO, NO_GRAVADO_NAME);

    public Alicuota {
        Objects.requireNonNull(percent, "percent");
        // One value per rate, whatever its scale (21, 21.00), so alícuotas compare and group as equals.
        percent = percent.stripTrailingZeros();
        if (percent.scale() < 0) {
            percent = percent.setScale(0);
        }
        if (exemption != null && !exemption.equals(EXENTO_NAME) && !exemption.equals(NO_GRAVADO_NAME)) {
            throw new IllegalArgumentException("exemption must be " + EXENTO_NAME + " or " + NO_GRAVADO_NAME);
        }
    }

    public static Alicuota rate(BigDecimal percent) {
        return new Alicuota(percent, null);
    }

    /** Reads {@code Iva} as Contabilium answers it: a number, a numeric string, or the name of an exemption. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Alicuota of(Object wire) {
        if (wire instanceof Number number) {
            return rate(new BigDecimal(number.toString()));
        }
        String text = Normalizer.normalize(String.valueOf(wire), Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "exento", "ex" -> EXENTO;
            case "no gravado", "nogravado", "ng" -> NO_GRAVADO;
            default -> rate(new BigDecimal(text.replace(',', '.')));
        };
    }

    /** What {@code crear} is sent: the rate as a number, an exemption by its name. */
    @JsonValue
    public Object wire() {
        return exemption != null ? exemption : percent;
    }

    public boolean exempt() {
        return exemption != null;
    }

    /** For a merchant or a buyer: "IVA 10,5 %", "Exento", "No gravado". */
    public String label() {
        return exemption != null ? exemption : "IVA " + percent.toPlainString().replace('.', ',') + " %";
    }
}
