// Starts Blazor in the culture chosen before (poker.js). A file, not an inline script: the Content-Security-Policy
// runs only the app's own script files.
Blazor.start({ webAssembly: { applicationCulture: window.poker.culture() } });
