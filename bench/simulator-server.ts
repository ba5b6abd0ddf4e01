// Child process of bench/simulator.ts: the standalone simulator, flags from the command line.
import { runStandalone } from "../src/simulator/standalone.js";

const sim = await runStandalone(process.argv.slice(2), process.env);
const stop = (): void => void sim.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
