import XCTest
@testable import JSON

final class ShashOrderTests: XCTestCase {
    /// The vswitch schema's tables in file order, and the order Debian's
    /// `ovsdb-client list-tables` prints them (the schema JSON's shash, then the schema's).
    func testReproducesDebianListTablesOrder() {
        let file = ["Open_vSwitch", "Bridge", "Port", "Interface", "Flow_Table", "QoS", "Queue", "Mirror", "NetFlow",
                    "sFlow", "IPFIX", "Flow_Sample_Collector_Set", "Controller", "Manager", "Datapath", "CT_Zone",
                    "CT_Timeout_Policy", "SSL", "AutoAttach"]
        let debian = ["Controller", "Bridge", "Queue", "IPFIX", "NetFlow", "Open_vSwitch", "CT_Zone", "QoS", "Datapath",
                      "SSL", "Port", "sFlow", "Flow_Sample_Collector_Set", "CT_Timeout_Policy", "Mirror", "Flow_Table",
                      "Interface", "AutoAttach", "Manager"]
        XCTAssertEqual(ShashOrder(ShashOrder(file).keys).keys, debian)
    }

    func testHashStringMatchesOpenVSwitch() {
        // hash_string("", 0) is mhash_finish(0): every step keeps zero.
        XCTAssertEqual(ShashOrder.hashString(""), 0)
        // Different lengths of the same prefix hash differently (the length is mixed in).
        XCTAssertNotEqual(ShashOrder.hashString("a"), ShashOrder.hashString("a\u{0}"))
    }

    func testOrderDependsOnInsertionOnlyWithinABucket() {
        var order = ShashOrder(["a", "b", "c"])
        XCTAssertEqual(Set(order.keys), ["a", "b", "c"])
        order.remove("b")
        XCTAssertEqual(order.keys, ShashOrder(["a", "b", "c"]).keys.filter { $0 != "b" })
        XCTAssertEqual(order.count, 2)
    }

    func testObjectsReorderRecursively() {
        let v: JSON = ["x": ["b": 1, "a": 2], "y": [["d": 3, "c": 4]]]
        guard case .object(let o) = v.inShashOrder else { return XCTFail() }
        XCTAssertEqual(o.keys, ShashOrder(["x", "y"]).keys)
        XCTAssertEqual(o["x"]?.objectValue?.keys, ShashOrder(["b", "a"]).keys)
        XCTAssertEqual(v.inShashOrder, v)
    }
}
