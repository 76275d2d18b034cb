package ar.connector.sandbox.contabilium;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * The 24 Argentine jurisdictions as {@code GET /api/common/provincias?idPais=10} lists them. IDs are the
 * sandbox's choice (alphabetical, Contabilium publishes none); CABA is named "Capital Federal", as in
 * Contabilium's lists, so the connector's alias table ("Ciudad Autónoma de Buenos Aires", "CABA") is exercised.
 */
public final class Provincias {

    static final List<String> NAMES = List.of("Buenos Aires", "Capital Federal", "Catamarca", "Chaco", "Chubut",
            "Córdoba", "Corrientes", "Entre Ríos", "Formosa", "Jujuy", "La Pampa", "La Rioja", "Mendoza", "Misiones",
            "Neuquén", "Río Negro", "Salta", "San Juan", "San Luis", "Santa Cruz", "Santa Fe", "Santiago del Estero",
            "Tierra del Fuego", "Tucumán");

    private Provincias() {
    }

    /** The sandbox's id of a jurisdiction, by its exact name. */
    public static int id(String name) {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no provincia " + name);
        }
        return index + 1;
    }

    static ArrayNode json() {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (int i = 0; i < NAMES.size(); i++) {
            arr.addObject().put("ID", i + 1).put("Nombre", NAMES.get(i));
        }
        return arr;
    }
}
