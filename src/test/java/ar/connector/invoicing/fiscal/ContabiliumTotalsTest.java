package ar.connector.invoicing.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import ar.connector.contabilium.Alicuota;
import ar.connector.contabilium.CbModel;

class ContabiliumTotalsTest {

    private static CbModel.Item item(String qty, String unit, String iva, String bonificacion) {
        return new CbModel.Item(1L, "A", "A", new BigDecimal(qty), new BigDecimal(unit), Alicuota.of(iva),
                new BigDecimal(bonificacion));
    }

    @Test
    void roundsNetoAndIvaPerLineHalfUp() {
        // 3 × 33.3350 = 100.005 -> 100.01; 21 % of it = 21.0021 -> 21.00
        ContabiliumTotals.Line line = ContabiliumTotals.amounts(item("3", "33.3350", "21", "0"));
        assertThat(line.neto()).isEqualByComparingTo("100.01");
        assertThat(line.iva()).isEqualByComparingTo("21.00");
        assertThat(line.total()).isEqualByComparingTo("121.01");
    }

    @Test
    void appliesTheLineBonificationBeforeRounding() {
        // 2 × 50 × 0.875 = 87.5; 10.5 % = 9.1875 -> 9.19
        ContabiliumTotals.Line line = ContabiliumTotals.amounts(item("2", "50", "10.5", "12.5"));
        assertThat(line.neto()).isEqualByComparingTo("87.50");
        assertThat(line.iva()).isEqualByComparingTo("9.19");
    }

    @Test
    void totalIsTheSumOfRoundedLines() {
        List<CbModel.Item> items = List.of(item("1", "0.005", "21", "0"), item("1", "0.005", "21", "0"));
        // Each line rounds 0.005 up to 0.01 on its own: 0.02 in all, not round2(0.01 × 1.21).
        assertThat(ContabiliumTotals.total(items)).isEqualByComparingTo("0.02");
    }

    @Test
    void treatsMissingIvaAndBonificationAsZero() {
        CbModel.Item item = new CbModel.Item(1L, "A", "A", BigDecimal.ONE, new BigDecimal("10"), null, null);
        assertThat(ContabiliumTotals.amounts(item).total()).isEqualByComparingTo("10.00");
    }
}
