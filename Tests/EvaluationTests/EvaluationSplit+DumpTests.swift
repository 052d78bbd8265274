@testable import Evaluation
import Testing

struct EvaluationSplitDumpTests {
    @Test func writesTrainAndTestPairs() throws {
        let directory = try TemporaryDirectory()
        let split = try EvaluationSplit(SplitFixtures.leaveLastOut, kind: .leaveLastOut)
        try split.writePairs(toDirectory: directory.path + "/dump")
        #expect(try directory.read("dump/train.csv") == "user,item,timestamp\n10,d,2\n9,a,1\n9,b,5\nw,c,1\nx,b,1\ny,a,1\n")
        #expect(try directory.read("dump/test.csv") == "user,item,timestamp\n10,a,3\n9,c,5\n")
    }
}
