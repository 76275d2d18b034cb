package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomerDirectoryRegionTest {

    @Test
    void readsIsoSubdivisionCodesWithOrWithoutTheCountry() {
        assertThat(CustomerDirectory.regionByCode("C")).isEqualTo("Capital Federal");
        assertThat(CustomerDirectory.regionByCode("ar-x")).isEqualTo("Córdoba");
        assertThat(CustomerDirectory.regionByCode("B")).isEqualTo("Buenos Aires");
    }

    @Test
    void readsFipsCodesAsTheOpenapiDescribesThem() {
        assertThat(CustomerDirectory.regionByCode("07")).isEqualTo("Capital Federal");
        assertThat(CustomerDirectory.regionByCode("AR23")).isEqualTo("Tierra del Fuego");
    }

    @Test
    void unknownOrMissingCodesLeaveTheRegionToItsName() {
        assertThat(CustomerDirectory.regionByCode("ENG")).isNull();
        assertThat(CustomerDirectory.regionByCode("AR")).isNull();
        assertThat(CustomerDirectory.regionByCode(" ")).isNull();
        assertThat(CustomerDirectory.regionByCode(null)).isNull();
    }
}
