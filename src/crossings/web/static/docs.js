/* The API reference: swagger-ui from the installed swagger-ui-bundle package, reading /openapi.json. */
"use strict";
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
                                validatorUrl: null, tryItOutEnabled: false, defaultModelsExpandDepth: 0 });
});
