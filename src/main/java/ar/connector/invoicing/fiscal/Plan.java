package ar.connector.invoicing.fiscal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import ar.connector.contabilium.CbModel;

/** What to do with a paid order: invoice it as planned, or park it for the merchant with a reason. */
public sealed interface Plan {

    /**
     * @param tipoFc        FCA, FCB or FCC
     * @param expectedTotal what the order says the invoice must total
     * @param computedTotal what Contabilium will compute from {@code items}; within one cent of the expected
     */
    record Ready(Buyer buyer, String tipoFc, List<CbModel.Item> items, BigDecimal expectedTotal,
            BigDecimal computedTotal) implements Plan {

        public Ready {
            items = List.copyOf(items);
        }
    }

    /** @param reason in Spanish, for the merchant, naming the values that caused it */
    record Park(String reason) implements Plan {

        public Park {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
