package ar.connector.reconciliation;

/** The reconciliation on the embedded H2 database. */
class ReconciliationTest extends AbstractReconciliationTest {
}
