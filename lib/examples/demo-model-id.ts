/** The model id of demo mode, which streams the example library; shown in the browser too. */
export const DEMO_MODEL_ID = "demo";
export const DEMO_MODEL_LABEL = "Demo (example library, no model)";
