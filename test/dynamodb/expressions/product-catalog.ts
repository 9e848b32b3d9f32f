import type { Item } from '../../../src/services/dynamodb/expressions/index.js';

/** The ProductCatalog item the DynamoDB Developer Guide's expression examples use. */
export function productCatalogItem(): Item {
  return {
    Id: { N: '123' },
    Title: { S: 'Bicycle 123' },
    Description: { S: '123 description' },
    BicycleType: { S: 'Hybrid' },
    Brand: { S: 'Brand-Company C' },
    Price: { N: '500' },
    Color: { SS: ['Red', 'Black'] },
    ProductCategory: { S: 'Bicycle' },
    InStock: { BOOL: true },
    QuantityOnHand: { NULL: true },
    RelatedItems: { L: [{ N: '341' }, { N: '472' }, { N: '649' }] },
    Pictures: {
      M: {
        FrontView: { S: 'http://example.com/products/123_front.jpg' },
        RearView: { S: 'http://example.com/products/123_rear.jpg' },
        SideView: { S: 'http://example.com/products/123_left_side.jpg' },
      },
    },
    ProductReviews: {
      M: {
        FiveStar: {
          SS: ["Excellent! Can't recommend it highly enough! Buy it!", 'Do yourself a favor and buy this.'],
        },
        OneStar: { SS: ['Terrible product! Do not buy this.'] },
      },
    },
    Comment: { S: 'This bike is perfect for...' },
    'Safety.Warning': { S: 'Always wear a helmet' },
  };
}
