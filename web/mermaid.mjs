// Mermaid for ```mermaid blocks, bundled by build.mjs into static/js/vendor/mermaid.js as one
// global, `awskbMermaid`. Nothing is fetched at run time.
import mermaid from "mermaid";

export default mermaid;
