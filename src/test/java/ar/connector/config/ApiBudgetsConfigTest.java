package ar.connector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import ar.connector.api.ApiBudgets;
import ar.connector.api.SharedBudgets;
import ar.connector.testsupport.PostgresSchema;
import ar.connector.testsupport.TestConnector;

/** {@code connector.api.shared-budgets}: auto follows the datasource, true needs PostgreSQL, false stays local. */
class ApiBudgetsConfigTest {

    private static ApiBudgets budgets(String sharing, DataSource dataSource) throws Exception {
        return new ApiBudgetsConfig().apiBudgets(TestConnector.properties("api.shared-budgets", sharing), dataSource);
    }

    private static DataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:budgets-config");
        return h2;
    }

    @Test
    void onH2BudgetsStayInThisProcessAndAskingToShareThemFailsAtStartup() throws Exception {
        assertThat(budgets("auto", h2())).isNotInstanceOf(SharedBudgets.class);
        assertThat(budgets("false", h2())).isNotInstanceOf(SharedBudgets.class);
        assertThatThrownBy(() -> budgets("true", h2())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connector.api.shared-budgets=true needs a PostgreSQL datasource")
                .hasMessageContaining("H2");
    }

    @Test
    void onPostgresqlBudgetsAreSharedUnlessTurnedOff() throws Exception {
        assumeTrue(PostgresSchema.reachable(), "PostgreSQL not reachable at 127.0.0.1:5432");
        try (PostgresSchema schema = PostgresSchema.migrated()) {
            DataSource postgres = schema.pool();
            assertThat(budgets("auto", postgres)).isInstanceOf(SharedBudgets.class);
            assertThat(budgets("true", postgres)).isInstanceOf(SharedBudgets.class);
            assertThat(budgets("false", postgres)).isNotInstanceOf(SharedBudgets.class);
        }
    }
}
