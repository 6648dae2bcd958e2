extension StreamTarget {
    /// The help text on connection methods and SSL options that Open vSwitch's programs print
    /// (`stream_usage`), for `name` ("database", "SERVER").
    public static func usage(_ name: String, bootstrap: Bool) -> String {
        var s = """
            Active \(name) connection methods:
              tcp:HOST:PORT           PORT at remote HOST
              ssl:HOST:PORT           SSL PORT at remote HOST
              unix:FILE               Unix domain socket named FILE
            Passive \(name) connection methods:
              ptcp:PORT[:IP]          listen to TCP PORT on IP
              pssl:PORT[:IP]          listen for SSL on PORT on IP
              punix:FILE              listen on Unix domain socket FILE
            PKI configuration (required to use SSL):
              -p, --private-key=FILE  file with private key
              -c, --certificate=FILE  file with certificate for private key
              -C, --ca-cert=FILE      file with peer CA certificate

            """
        if bootstrap { s += "  --bootstrap-ca-cert=FILE  file with peer CA certificate to read or create\n" }
        s += """
            SSL options:
              --ssl-protocols=PROTOS  list of SSL protocols to enable
              --ssl-ciphers=CIPHERS   list of SSL ciphers to enable

            """
        return s
    }
}
