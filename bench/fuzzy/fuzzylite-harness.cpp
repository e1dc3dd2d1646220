// Reference harness for hilbench's fuzzy tests and benchmark, built at run time against
// Debian's libfuzzylite-dev (never committed as a binary).
//   harness eval  model.fll inputs.txt   -> one line per input row: outputs at 17 significant digits
//   harness bench model.fll inputs.txt N -> evaluates N rows cycling over the inputs, prints
//                                           {"inferences_per_s": …, "checksum": …}
// inputs.txt: whitespace-separated numbers, one row per line, one column per input variable.
#include <fl/Headers.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

static std::vector<std::vector<double>> readRows(const char* path) {
    std::ifstream in(path);
    std::vector<std::vector<double>> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        std::vector<double> row;
        std::string tok;
        while (ss >> tok) row.push_back(fl::Op::toScalar(tok));
        if (!row.empty()) rows.push_back(row);
    }
    return rows;
}

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s eval|bench model.fll inputs.txt [N]\n", argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    fl::Engine* engine = fl::FllImporter().fromFile(argv[2]);
    std::string status;
    if (!engine->isReady(&status)) {
        std::fprintf(stderr, "engine not ready: %s\n", status.c_str());
        return 1;
    }
    const std::vector<std::vector<double>> rows = readRows(argv[3]);
    const std::size_t nIn = engine->numberOfInputVariables();
    const std::size_t nOut = engine->numberOfOutputVariables();
    if (mode == "eval") {
        for (const std::vector<double>& row : rows) {
            for (std::size_t i = 0; i < nIn; ++i) engine->getInputVariable(i)->setValue(row.at(i));
            engine->process();
            for (std::size_t o = 0; o < nOut; ++o) {
                double v = engine->getOutputVariable(o)->getValue();
                if (o) std::printf(" ");
                if (v != v) std::printf("nan");
                else std::printf("%.17g", v);
            }
            std::printf("\n");
        }
    } else if (mode == "bench") {
        const long n = argc > 4 ? std::atol(argv[4]) : 100000;
        double checksum = 0;
        const std::size_t warm = rows.size() < 2000 ? rows.size() : 2000;
        for (std::size_t k = 0; k < warm; ++k) {
            for (std::size_t i = 0; i < nIn; ++i) engine->getInputVariable(i)->setValue(rows[k][i]);
            engine->process();
        }
        const auto t0 = std::chrono::steady_clock::now();
        for (long k = 0; k < n; ++k) {
            const std::vector<double>& row = rows[k % rows.size()];
            for (std::size_t i = 0; i < nIn; ++i) engine->getInputVariable(i)->setValue(row[i]);
            engine->process();
            for (std::size_t o = 0; o < nOut; ++o) {
                double v = engine->getOutputVariable(o)->getValue();
                if (v == v) checksum += v;
            }
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("{\"inferences_per_s\": %.1f, \"seconds\": %.6f, \"checksum\": %.17g}\n", n / s, s, checksum);
    } else {
        std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
        return 2;
    }
    delete engine;
    return 0;
}
