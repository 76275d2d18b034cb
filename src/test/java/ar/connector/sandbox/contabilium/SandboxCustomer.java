package ar.connector.sandbox.contabilium;

/** A customer (cliente) as stored by the sandbox. */
public record SandboxCustomer(long id, String razonSocial, String condicionIva, String tipoDoc, String nroDoc,
                              String email, String telefono, String domicilio, String cp, Integer idPais,
                              Integer idProvincia, String ciudad) {
}
