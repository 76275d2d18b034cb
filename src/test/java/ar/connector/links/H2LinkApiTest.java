package ar.connector.links;

import ar.connector.support.ConnectorTest;

/** The link API and its persistence on the embedded H2 database (the default installation). */
@ConnectorTest
class H2LinkApiTest extends AbstractLinkApiTest {
}
