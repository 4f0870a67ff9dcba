// The controls the workbook's pages use (ipywidgets' HTML, Button, VBox and HBox, with their styles),
// not the other forty: sliders, date pickers, media players and tabs bring their own libraries.
// A page that shows another control says so in its console ("The page has no widget ...").
export * from "@jupyter-widgets/controls/lib/widget_box";
export * from "@jupyter-widgets/controls/lib/widget_button";
export * from "@jupyter-widgets/controls/lib/widget_description";
export * from "@jupyter-widgets/controls/lib/widget_string";
