package ar.connector.reconciliation;

/** The kinds of difference as a merchant reads them (the console and the CSV's second column). */
public final class ReconciliationText {

    private ReconciliationText() {
    }

    public static String kind(Reconciliations.Kind kind) {
        return switch (kind) {
            case ORDER_WITHOUT_INVOICE -> "Pedido pagado sin factura";
            case INVOICE_WITHOUT_ORDER -> "Comprobante sin pedido";
            case TOTAL_DIFFERS -> "Importes que no coinciden";
            case CREDITED_WITHOUT_CREDIT_NOTE -> "Cancelado sin nota de crédito";
        };
    }
}
