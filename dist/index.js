var __webpack_exports__ = {};

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./src/version.ts

/** The tool's own version, recorded in every run record. */
const TOOL_VERSION = package_namespaceObject.rE;

;// CONCATENATED MODULE: ./src/action/main.ts

/** The GitHub Action entry. The gate itself lands with the Action issue; for now it reports its version. */
async function run() {
    process.stdout.write(`tailgate ${TOOL_VERSION}\n`);
}

;// CONCATENATED MODULE: ./src/index.ts

void run();

